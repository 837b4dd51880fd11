import { AgentSkill, Condition } from '@krate/plugin-agents-common';
import { stampConditions } from '../stampConditions';
import { SkillValidation } from './SkillValidation';

const CONDITION_STATUS: Record<
  SkillValidation['validation'],
  Condition['status']
> = { Valid: 'True', Invalid: 'False', Pending: 'Unknown' };

/**
 * The status a validated skill should have. A pending skill keeps the commit its unchanged spec
 * resolved to before. `lastValidationTime` moves only when the outcome does: re-validating an
 * unchanged skill then writes nothing, so it costs no audit record and wakes no stack.
 */
export function skillStatus(
  skill: AgentSkill,
  result: SkillValidation,
  now: Date,
): AgentSkill['status'] {
  const { resolvedCommit: previousCommit, ...previous } = skill.status ?? {};
  const generation = skill.metadata.generation;
  const sameSpec = previous.observedGeneration === generation;
  const resolvedCommit =
    result.validation === 'Pending' && sameSpec
      ? previousCommit
      : result.resolvedCommit;
  const condition = {
    type: 'Ready',
    status: CONDITION_STATUS[result.validation],
    reason: result.reason,
    message: result.message,
  };
  const before = previous.conditions?.find(c => c.type === 'Ready');
  const unchanged =
    sameSpec &&
    previous.validation === result.validation &&
    previousCommit === resolvedCommit &&
    before?.reason === condition.reason &&
    before.message === condition.message;
  return {
    ...previous,
    observedGeneration: generation,
    validation: result.validation,
    ...(resolvedCommit ? { resolvedCommit } : {}),
    lastValidationTime:
      unchanged && previous.lastValidationTime
        ? previous.lastValidationTime
        : now.toISOString(),
    conditions: stampConditions([condition], previous.conditions, now),
  };
}
