import { InputError } from '@backstage/errors';
import {
  isAgentsPermissionName,
  parseAgentsRepositoryRef,
  PermissionReviewRequest,
  PermissionSubject,
} from '@krate/plugin-agents-common';
import { orgName } from '../../service/requestParsing';
import { normalSubjectName } from './subjectRefs';

const SUBJECT_KINDS: PermissionSubject['kind'][] = [
  'user',
  'team',
  'service-account',
];

const optionalString = (body: Record<string, unknown>, field: string) => {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw new InputError(`${field}: must be a non-empty string`);
  }
  return value;
};

/** The body of `POST /permissions/review`, checked, with user and team refs made full. */
export function parseReviewRequest(body: unknown): PermissionReviewRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InputError('body: must be a JSON object');
  }
  const fields = body as Record<string, unknown>;
  const namespace = orgName(fields.namespace, 'namespace');
  const subject = fields.subject as Record<string, unknown> | undefined;
  if (typeof subject !== 'object' || subject === null) {
    throw new InputError('subject: is required ({ kind, name })');
  }
  const kind = subject.kind as PermissionSubject['kind'];
  if (!SUBJECT_KINDS.includes(kind)) {
    throw new InputError(
      `subject.kind: must be one of ${SUBJECT_KINDS.join(', ')}`,
    );
  }
  if (typeof subject.name !== 'string' || subject.name === '') {
    throw new InputError('subject.name: is required');
  }
  const name = normalSubjectName(kind, subject.name);
  if (!name) {
    throw new InputError(
      `subject.name: '${subject.name.slice(0, 200)}' is not an entity ref`,
    );
  }
  const action = optionalString(fields, 'action');
  const stack = optionalString(fields, 'stack');
  const repository = optionalString(fields, 'repository');
  if (!action === !stack) {
    throw new InputError(
      'action: give exactly one of action (a permission name) and stack (an AgentStack name)',
    );
  }
  if (action && !isAgentsPermissionName(action)) {
    throw new InputError(
      `action: '${action.slice(
        0,
        200,
      )}' is not a permission of the agents plugin`,
    );
  }
  if (repository && !parseAgentsRepositoryRef(repository)) {
    throw new InputError(
      `repository: '${repository.slice(0, 200)}' is not <org>/<repository>`,
    );
  }
  return {
    namespace,
    subject: { kind, name },
    ...(action ? { action } : {}),
    ...(stack ? { stack } : {}),
    ...(repository ? { repository } : {}),
  };
}
