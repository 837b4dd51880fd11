import { mockServices } from '@backstage/backend-test-utils';
import { RunEventPayload } from '@krate/plugin-agents-common';
import {
  AgentActionDecision,
  AgentActionRequest,
  AgentAttemptHost,
} from '@krate/plugin-agents-node';

type Decide = (
  request: AgentActionRequest,
) => AgentActionDecision | 'human' | Promise<AgentActionDecision | 'human'>;

/**
 * An AgentAttemptHost that keeps everything in memory, for testing a runtime on its own. The
 * dispatch controller's host persists the same calls; this one lets a test read them back and
 * play the human behind an approval (`decideApproval`).
 */
export class RecordingHost implements AgentAttemptHost {
  readonly events: (RunEventPayload & { runtimeSeq?: number })[] = [];
  readonly requests: AgentActionRequest[] = [];
  runtimeRunId?: string;
  sessionId?: string;
  readonly logger = mockServices.logger.mock();
  readonly #abort = new AbortController();
  readonly #decide: Decide;
  readonly #pending = new Map<string, (d: AgentActionDecision) => void>();
  readonly #decided = new Map<string, AgentActionDecision>();
  readonly #waiters: (() => void)[] = [];
  #approvalCount = 0;

  /** `decide` answers each action; `'human'` opens an approval the test decides. */
  constructor(decide: Decide = () => ({ decision: 'allow', reason: 'test' })) {
    this.#decide = decide;
  }

  get signal() {
    return this.#abort.signal;
  }

  cancel() {
    this.#abort.abort();
  }

  emit(event: RunEventPayload, options?: { runtimeSeq?: number }) {
    this.events.push({ ...event, ...options });
    this.#waiters.splice(0).forEach(wake => wake());
  }

  /** The runtime seqs the runtime checkpointed, in order. */
  readonly checkpoints: number[] = [];

  async checkpoint(runtimeSeq: number) {
    this.checkpoints.push(runtimeSeq);
  }

  async bindRuntimeRun(runtimeRunId: string) {
    this.runtimeRunId = runtimeRunId;
  }

  async bindSession(sessionId: string) {
    this.sessionId = sessionId;
  }

  async authorize(
    request: AgentActionRequest,
    options: { wait?: boolean } = {},
  ): Promise<AgentActionDecision> {
    this.requests.push(request);
    const answer = await this.#decide(request);
    if (answer !== 'human') {
      this.emit({
        type: 'policy_decision',
        actionClass: request.actionClass,
        target: request.target,
        decision: answer.decision,
        reason: answer.reason,
      });
      return answer;
    }
    this.#approvalCount += 1;
    const approval = `approval-${this.#approvalCount}`;
    this.emit({
      type: 'approval_requested',
      approval,
      actionClass: request.actionClass,
      target: request.target,
      policySource: 'test',
    });
    if (options.wait === false) {
      return {
        decision: 'deny',
        reason: 'waiting for a human',
        approval,
        pending: true,
      };
    }
    return this.awaitApproval(approval);
  }

  awaitApproval(approval: string): Promise<AgentActionDecision> {
    const decided = this.#decided.get(approval);
    if (decided) {
      return Promise.resolve(decided);
    }
    return new Promise(resolve => this.#pending.set(approval, resolve));
  }

  /** Plays the human: approves or rejects a pending approval. */
  decideApproval(approval: string, decision: 'allow' | 'deny') {
    const result: AgentActionDecision = {
      decision,
      reason: decision === 'allow' ? 'approved' : 'rejected',
      approval,
    };
    this.#decided.set(approval, result);
    this.emit({
      type: 'approval_decided',
      approval,
      decision: decision === 'allow' ? 'approved' : 'rejected',
    });
    this.#pending.get(approval)?.(result);
    this.#pending.delete(approval);
  }

  /** Resolves once an event matching `predicate` has been emitted. */
  async waitFor(
    predicate: (event: RunEventPayload) => boolean,
    timeoutMs = 10_000,
  ): Promise<RunEventPayload> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(predicate);
      if (found) {
        return found;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `No matching event within ${timeoutMs} ms; saw ${this.events
            .map(e => e.type)
            .join(', ')}`,
        );
      }
      await new Promise<void>(resolve => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  ofType<T extends RunEventPayload['type']>(type: T) {
    return this.events.filter(e => e.type === type) as Extract<
      RunEventPayload,
      { type: T }
    >[];
  }
}
