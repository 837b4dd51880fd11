import { ResolvedStack } from './DispatchService';

/** Why a stack the controller resolved as Invalid cannot run, condition by condition. */
export function invalidStackMessage(
  namespace: string,
  stack: string,
  resolved: ResolvedStack,
) {
  const problems = resolved.conditions
    .filter(c => c.status !== 'True' || c.type === 'Invalid')
    .map(c => `${c.reason}: ${c.message}`)
    .join('; ');
  return `stack: AgentStack ${namespace}/${stack} is Invalid and cannot run (${problems})`;
}
