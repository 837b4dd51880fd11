import { Condition } from '@krate/plugin-agents-common';

/** A condition before it is stamped with its transition time. */
export type UnstampedCondition = Omit<Condition, 'lastTransitionTime'>;

/**
 * Stamps conditions with their lastTransitionTime. A condition keeps the previous time while its
 * status and reason stay the same, so an unchanged object gives identical conditions and its
 * controller has nothing to write.
 */
export function stampConditions(
  conditions: UnstampedCondition[],
  previous: Condition[] | undefined,
  now: Date,
): Condition[] {
  return conditions.map(condition => {
    const before = previous?.find(
      c =>
        c.type === condition.type &&
        c.status === condition.status &&
        c.reason === condition.reason,
    );
    return {
      ...condition,
      lastTransitionTime: before?.lastTransitionTime ?? now.toISOString(),
    };
  });
}
