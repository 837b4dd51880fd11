import { LoggerService } from '@backstage/backend-plugin-api';
import { RunEventPayload } from '@krate/plugin-agents-common';
import {
  AgentActionDecision,
  AgentActionRequest,
  AgentAttemptHost,
  AgentAttemptOutcome,
  LaunchProfile,
} from '@krate/plugin-agents-node';
import { decideAction } from '../../../dispatch/ActionPolicy';
import { formatRunnerLine, RunnerLine } from '../runnerProtocol';

/** Why a runner pod refuses an action that waits for a human. */
export const NO_APPROVALS_IN_PODS =
  'a runner pod cannot wait for a human approval yet, so the action is denied';

/**
 * The in-pod side of an attempt: instead of persisting, it prints each call as a protocol line
 * for the backend, which follows the pod's log and replays them onto the attempt. Actions are
 * decided here by the backend's own policy code; one that needs a human is denied (fail closed).
 */
export class StdoutAttemptHost implements AgentAttemptHost {
  readonly #profile: LaunchProfile;
  readonly #write: (text: string) => void;
  readonly #signal: AbortSignal;
  readonly logger: LoggerService;
  #seq = 0;

  constructor(options: {
    profile: LaunchProfile;
    write: (text: string) => void;
    signal: AbortSignal;
    logger: LoggerService;
  }) {
    this.#profile = options.profile;
    this.#write = options.write;
    this.#signal = options.signal;
    this.logger = options.logger;
  }

  get signal() {
    return this.#signal;
  }

  emit(event: RunEventPayload): void {
    this.#seq += 1;
    this.#print({ krate: 'v1', seq: this.#seq, event });
  }

  /** The pod's log is the durable record; the backend checkpoints what it has read of it. */
  async checkpoint(): Promise<void> {}

  /** The pod is the runtime run: the backend bound its name before the pod started. */
  async bindRuntimeRun(): Promise<void> {}

  async bindSession(sessionId: string): Promise<void> {
    this.#print({ krate: 'v1', session: sessionId });
  }

  async authorize(request: AgentActionRequest): Promise<AgentActionDecision> {
    const verdict = decideAction(this.#profile, request);
    const decision: AgentActionDecision =
      verdict.verdict === 'human'
        ? {
            decision: 'deny',
            reason: `${verdict.reason}; ${NO_APPROVALS_IN_PODS}`,
          }
        : { decision: verdict.verdict, reason: verdict.reason };
    this.emit({
      type: 'policy_decision',
      actionClass: request.actionClass,
      target: request.target,
      decision: decision.decision,
      reason: decision.reason,
    });
    return decision;
  }

  /** No approval is ever opened from a pod. */
  async awaitApproval(): Promise<AgentActionDecision> {
    return { decision: 'deny', reason: NO_APPROVALS_IN_PODS };
  }

  outcome(outcome: AgentAttemptOutcome): void {
    this.#print({ krate: 'v1', outcome });
  }

  #print(line: RunnerLine) {
    this.#write(formatRunnerLine(line));
  }
}
