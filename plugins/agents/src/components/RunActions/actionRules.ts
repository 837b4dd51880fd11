import { RunAction } from '../../api';

export { RUN_ACTIONS } from '@krate/plugin-agents-common';

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
