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
import { RunnerDecisionAnswer } from '../runnerDecisions';
import { formatRunnerLine, RunnerLine } from '../runnerProtocol';
import { DecisionQuery, RunnerDecisionReader } from './RunnerDecisionReader';

/** Why a runner pod without a way to read decisions refuses an action that waits for a human. */
export const NO_DECISIONS_IN_POD =
  'this runner pod has no credential to read decisions with, so the action is denied';

/**
 * The in-pod side of an attempt: instead of persisting, it prints each call as a protocol line
 * for the backend, which follows the pod's log and replays them onto the attempt. Actions are
 * decided here by the backend's own policy code. One that needs a human is printed as an
 * approval request, which the backend opens as an AgentApproval; the decision is read back from
 * the backend (`RunnerDecisionReader`) and reported as the `approval_decided` event. Without a
 * decision reader the action is denied (fail closed).
 */
export class StdoutAttemptHost implements AgentAttemptHost {
  readonly #profile: LaunchProfile;
  readonly #write: (text: string) => void;
  readonly #signal: AbortSignal;
  readonly #decisions?: RunnerDecisionReader;
  readonly #asked = new Set<string>();
  readonly logger: LoggerService;
  #seq = 0;

  constructor(options: {
    profile: LaunchProfile;
    write: (text: string) => void;
    signal: AbortSignal;
    logger: LoggerService;
    decisions?: RunnerDecisionReader;
  }) {
    this.#profile = options.profile;
    this.#write = options.write;
    this.#signal = options.signal;
    this.logger = options.logger;
    this.#decisions = options.decisions;
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

  async authorize(
    request: AgentActionRequest,
    options: { wait?: boolean } = {},
  ): Promise<AgentActionDecision> {
    const verdict = decideAction(this.#profile, request);
    if (verdict.verdict !== 'human' || !this.#decisions) {
      const decision: AgentActionDecision =
        verdict.verdict === 'human'
          ? {
              decision: 'deny',
              reason: `${verdict.reason}; ${NO_DECISIONS_IN_POD}`,
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
    const interactionId = this.#interactionIdOf(request);
    this.#print({ krate: 'v1', approval: { ...request, interactionId } });
    const until = options.wait === false ? 'opened' : 'decided';
    const answer = await this.#ask({ interactionId }, until);
    if (answer.state !== 'pending') return this.#decided(answer);
    return {
      decision: 'deny',
      reason: `${verdict.reason}; held for a human decision (${answer.approval})`,
      approval: answer.approval,
      pending: true,
    };
  }

  async awaitApproval(approval: string): Promise<AgentActionDecision> {
    if (!this.#decisions) {
      return { decision: 'deny', reason: NO_DECISIONS_IN_POD, approval };
    }
    const answer = await this.#ask({ approval }, 'decided');
    return answer.state === 'pending'
      ? { decision: 'deny', reason: 'the approval is still pending', approval }
      : this.#decided(answer);
  }

  /** The backend's answer; its refusal (or a wrong answer) is a denial, fail closed. */
  async #ask(
    query: DecisionQuery,
    until: 'opened' | 'decided',
  ): Promise<
    | Exclude<RunnerDecisionAnswer, { state: 'unopened' }>
    | { state: 'failed'; reason: string }
  > {
    try {
      const answer = await this.#decisions!.wait(query, until, this.#signal);
      if (answer.state !== 'unopened') return answer;
      return { state: 'failed', reason: 'the approval was not opened' };
    } catch (error) {
      if (this.#signal.aborted) throw error;
      this.logger.error(`Could not read the decision: ${error}`);
      return {
        state: 'failed',
        reason: `the decision could not be read from the backend: ${
          (error as Error).message
        }`,
      };
    }
  }

  /** The decision, reported as the backend's host reports it. */
  #decided(
    answer:
      | Exclude<RunnerDecisionAnswer, { state: 'unopened' | 'pending' }>
      | { state: 'failed'; reason: string },
  ): AgentActionDecision {
    if (answer.state === 'failed') {
      return { decision: 'deny', reason: answer.reason };
    }
    this.emit({
      type: 'approval_decided',
      approval: answer.approval,
      decision: answer.outcome,
      ...(answer.decidedBy ? { decidedBy: answer.decidedBy } : {}),
      reason: answer.decision.reason,
    });
    return answer.decision;
  }

  /** The request's own interaction id, made unique within this pod; one of its own otherwise. */
  #interactionIdOf(request: AgentActionRequest): string {
    const base = request.interactionId ?? `pod-action-${this.#asked.size + 1}`;
    let id = base;
    for (let n = 2; this.#asked.has(id); n++) id = `${base}#${n}`;
    this.#asked.add(id);
    return id;
  }

  outcome(outcome: AgentAttemptOutcome): void {
    this.#print({ krate: 'v1', outcome });
  }

  #print(line: RunnerLine) {
    this.#write(formatRunnerLine(line));
  }
}
