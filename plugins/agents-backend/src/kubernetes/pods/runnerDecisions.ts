import { AgentActionDecision } from '@krate/plugin-agents-node';

/** The runner's credential for its attempt's decisions, a `secretKeyRef` to the attempt's Secret. */
export const CREDENTIAL_ENV = 'KRATE_RUNNER_CREDENTIAL';
/** Where the runner reads its attempt's decisions (a plain value: it is no secret). */
export const DECISIONS_URL_ENV = 'KRATE_DECISIONS_URL';
/** The key of the attempt's Secret that holds the runner's credential. */
export const CREDENTIAL_KEY = 'credential';

/** The route the in-pod runner reads decisions from, under the plugin's base path. */
export function runnerDecisionsUrl(
  backendUrl: string,
  namespace: string,
  attempt: string,
): string {
  return `${backendUrl.replace(
    /\/+$/,
    '',
  )}/api/agents/runner-pods/${encodeURIComponent(
    namespace,
  )}/${encodeURIComponent(attempt)}/decision`;
}

/**
 * What the decisions route answers the runner about one of its attempt's approvals: not opened
 * yet (the backend has not read the request from the log), pending, or decided with the decision
 * the runtime gets and what the `approval_decided` event says.
 */
export type RunnerDecisionAnswer =
  | { state: 'unopened' }
  | { state: 'pending'; approval: string }
  | {
      state: 'decided';
      approval: string;
      decision: AgentActionDecision;
      outcome: 'approved' | 'rejected' | 'expired';
      decidedBy?: string;
    };
