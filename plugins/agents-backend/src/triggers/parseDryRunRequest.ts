import { InputError } from '@backstage/errors';
import {
  parseAgentsRepositoryRef,
  TRIGGER_DRY_RUN_FIELDS,
  TRIGGER_EVENT_TYPES,
  TriggerDryRunRequest,
  TriggerEventType,
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
