import { SkillFinding } from './SkillValidation';

/** Whether every runtime `spec.compatibleRuntimes` names is one registered on this backend. */
export function checkRuntimes(
  compatibleRuntimes: string[] | undefined,
  registered: string[],
): SkillFinding {
  const listed = registered.length ? registered.join(', ') : 'none';
  if (!compatibleRuntimes) {
    return {
      outcome: 'valid',
      reason: 'RuntimesRegistered',
      message: `It works with every runtime that loads skills (registered: ${listed}).`,
    };
  }
  const unknown = compatibleRuntimes.filter(id => !registered.includes(id));
  if (unknown.length) {
    return {
      outcome: 'invalid',
      reason: 'UnknownRuntime',
      message: `spec.compatibleRuntimes names ${unknown
        .map(id => `'${id}'`)
        .join(
          ', ',
        )}, which no module registers here (registered: ${listed}); name registered runtimes or add the runtime's module to the backend.`,
    };
  }
  return {
    outcome: 'valid',
    reason: 'RuntimesRegistered',
    message: `It works with ${compatibleRuntimes.join(', ') || 'no runtime'}.`,
  };
}
