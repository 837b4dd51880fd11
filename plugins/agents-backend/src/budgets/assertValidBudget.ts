import { InputError } from '@backstage/errors';
import { StoredResource } from '../resources/ResourceStore';

/**
 * Refuses (400, naming the field) a budget whose money limit is 0: a structural schema cannot say
 * "more than 0" (`exclusiveMinimum` differs between JSON Schema and OpenAPI v3), so the schema
 * says 0 or more. One scope and one limit at least are the schema's (min/maxProperties).
 */
export function assertValidBudget(object: StoredResource): void {
  if (object.kind !== 'AgentBudget') return;
  const limits = (object.spec as Record<string, unknown> | undefined)?.limits;
  if (
    limits !== null &&
    typeof limits === 'object' &&
    (limits as Record<string, unknown>).usd === 0
  ) {
    throw new InputError('spec.limits.usd: must be more than 0');
  }
}
