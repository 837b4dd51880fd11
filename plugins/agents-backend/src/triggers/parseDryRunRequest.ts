import { InputError } from '@backstage/errors';
import {
  AgentTriggerRule,
  parseAgentsRepositoryRef,
  TRIGGER_DRY_RUN_FIELDS,
  TRIGGER_EVENT_TYPES,
  TriggerDryRunRequest,
  TriggerEventType,
  validateResource,
} from '@krate/plugin-agents-common';

/** A sample is kept on its execution record, so it stays the size of a real delivery. */
const MAX_EVENT_BYTES = 64 * 1024;
const FIELDS = new Set<string>(TRIGGER_DRY_RUN_FIELDS);

/** Checks the body of a dry-run field by field; throws InputError naming the first bad field. */
export function parseDryRunRequest(
  body: unknown,
  namespace: string,
): TriggerDryRunRequest {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new InputError('body: must be a JSON object');
  }
  const input = body as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!FIELDS.has(key)) throw new InputError(`${key}: unknown field`);
  }
  if (!TRIGGER_EVENT_TYPES.includes(input.source as TriggerEventType)) {
    throw new InputError(
      `source: must be one of ${TRIGGER_EVENT_TYPES.join(', ')}`,
    );
  }
  const event = input.event;
  if (!event || typeof event !== 'object' || Array.isArray(event)) {
    throw new InputError('event: must be a JSON object');
  }
  if (Buffer.byteLength(JSON.stringify(event)) > MAX_EVENT_BYTES) {
    throw new InputError(
      `event: must be at most ${MAX_EVENT_BYTES} bytes as JSON`,
    );
  }
  const request: TriggerDryRunRequest = {
    source: input.source as TriggerEventType,
    event: event as Record<string, unknown>,
  };
  if (input.repository !== undefined) {
    const ref =
      typeof input.repository === 'string'
        ? parseAgentsRepositoryRef(input.repository)
        : undefined;
    if (!ref) {
      throw new InputError('repository: must be <org>/<repository>');
    }
    if (ref.org !== namespace) {
      throw new InputError(
        `repository: ${input.repository} is not a repository of org ${namespace}`,
      );
    }
    request.repository = input.repository as string;
  }
  return request;
}

/**
 * Checks the body of a draft rule's dry-run: `rule`, an AgentTriggerRule of the org that is
 * valid against its schema (errors name the field as `rule.spec.…`), beside the sample's fields.
 */
export function parseDraftDryRunRequest(
  body: unknown,
  namespace: string,
): { rule: AgentTriggerRule; sample: TriggerDryRunRequest } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new InputError('body: must be a JSON object');
  }
  const { rule, ...sample } = body as Record<string, unknown>;
  if (!rule || typeof rule !== 'object' || Array.isArray(rule)) {
    throw new InputError('rule: must be an AgentTriggerRule object');
  }
  const draft = rule as AgentTriggerRule;
  if (draft.kind !== 'AgentTriggerRule') {
    throw new InputError('rule.kind: must be AgentTriggerRule');
  }
  if (draft.metadata?.namespace !== namespace) {
    throw new InputError(
      `rule.metadata.namespace: must be ${namespace}, the org of the request`,
    );
  }
  const validation = validateResource(draft);
  if (!validation.valid) {
    throw new InputError(
      validation.errors
        .map(e => `rule${e.path ? `.${e.path}` : ''}: ${e.message}`)
        .join('; '),
    );
  }
  return { rule: draft, sample: parseDryRunRequest(sample, namespace) };
}
