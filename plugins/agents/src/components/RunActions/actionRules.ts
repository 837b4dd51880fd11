import { AgentDispatchRun } from '@krate/plugin-agents-common';
import { RunAction, RuntimeInfo } from '../../api';
import { isTerminal } from '../../lib/format';

export const RUN_ACTIONS: RunAction[] = [
  'cancel',
  'retry',
  'resume',
  'fork',
  'continue',
];

/** What each action does, as dispatch.md describes it. */
export const ACTION_EFFECTS: Record<RunAction, string> = {
  cancel: 'Ends the current attempt as Cancelled.',
  retry:
    'Starts a new attempt with a fresh session and the same launch profile.',
  resume: 'Starts a new attempt that resumes the last session.',
  fork: 'Starts a new attempt with a new session forked from the last one.',
  continue:
    'Starts a new attempt in the same session with your follow-up prompt.',
};

export const ACTION_PERMISSIONS: Record<RunAction, string> = {
  cancel: 'agents.run.cancel',
  retry: 'agents.run.retry',
  resume: 'agents.run.retry',
  fork: 'agents.run.retry',
  continue: 'agents.run.continue',
};

/**
 * Why an action cannot apply to the run in its current state, from the run's status and its
 * runtime's declared capabilities; undefined when it can. The server decides in the end.
 */
export function unavailableReason(
  action: RunAction,
  run: AgentDispatchRun,
  runtime?: RuntimeInfo,
): string | undefined {
  const phase = run.status?.phase;
  const finished = isTerminal(phase);
  const hasSession = Boolean(run.status?.session);
  const canResume = runtime ? runtime.capabilities.resume === true : true;
  switch (action) {
    case 'cancel':
      return finished
        ? `The run has already ${phase?.toLowerCase()}.`
        : undefined;
    case 'retry':
      return finished ? undefined : `The run is ${phase}: cancel it first.`;
    case 'resume':
      if (phase !== 'Failed' && phase !== 'Cancelled') {
        return 'Only a failed or cancelled run can be resumed.';
      }
      if (!hasSession) return 'The run has no session to resume.';
      return canResume
        ? undefined
        : `The ${runtime?.displayName} runtime cannot resume sessions.`;
    case 'fork':
      if (!finished) return `The run is ${phase}: it must finish first.`;
      if (!hasSession) return 'The run has no session to fork.';
      return canResume
        ? undefined
        : `The ${runtime?.displayName} runtime cannot fork sessions.`;
    case 'continue':
      if (!finished) return `The run is ${phase}: it must finish first.`;
      return hasSession ? undefined : 'The run has no session to continue.';
    default:
      return undefined;
  }
}
