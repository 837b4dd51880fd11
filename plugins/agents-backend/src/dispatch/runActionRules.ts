import { AgentDispatchRun, RunAction } from '@krate/plugin-agents-common';
import { isTerminal } from './names';

/** What the rules need to know of the run's last attempt. */
export interface LastAttemptFacts {
  name: string;
  runtime: string;
  sessionId?: string;
  runtimeCanResume: boolean;
}

/**
 * Why the run's phase or its last attempt does not allow the action, or undefined when it does.
 * The same text is the 409 of the action route and the reason the portal shows beside it.
 */
export function runActionRefusal(
  run: AgentDispatchRun,
  action: RunAction,
  last: LastAttemptFacts | undefined,
): string | undefined {
  const phase = run.status?.phase ?? 'Queued';
  const ref = `AgentDispatchRun ${run.metadata.namespace}/${run.metadata.name}`;
  if (action === 'cancel') {
    return isTerminal(phase)
      ? `${ref} is already ${phase}; there is nothing to cancel`
      : undefined;
  }
  if (!isTerminal(phase) || !last) {
    return `${ref} is ${phase}: ${action} starts a new attempt, which waits until the current one has finished (cancel it first)`;
  }
  if (action === 'retry') {
    return undefined;
  }
  if (!last.sessionId) {
    return `${ref}: ${action} needs the session of attempt ${last.name}, which never reported one; use retry`;
  }
  if (!last.runtimeCanResume) {
    return `${ref}: the ${last.runtime} runtime cannot resume sessions, so it cannot ${action}; use retry`;
  }
  if (action === 'resume' && phase === 'Succeeded') {
    return `${ref} succeeded; there is nothing to resume — continue it with a new prompt`;
  }
  return undefined;
}
