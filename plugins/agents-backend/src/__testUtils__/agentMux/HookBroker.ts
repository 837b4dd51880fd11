import { randomUUID } from 'node:crypto';
import { GatewayConnection } from './GatewayConnection';
import { HookDecision } from './gatewayTypes';

/** A hook.request as the gateway sent it, for tests to inspect. */
export interface SentHookRequest {
  hookRequestId: string;
  runId: string;
  hookKind: string;
  payload: Record<string, unknown>;
  deadlineTs: number;
  /** Connection ids the request went to; only these may decide it. */
  recipients: string[];
}

/** A hook.decision as the gateway received it. */
export interface ReceivedHookDecision {
  hookRequestId: string;
  connectionId: string;
  decision: 'allow' | 'deny';
  reason?: string;
  accepted: boolean;
  receivedAt: number;
}

interface Pending {
  request: SentHookRequest;
  recipients: GatewayConnection[];
  timer: NodeJS.Timeout;
  resolve(decision: HookDecision): void;
}

export interface HookBrokerDeps {
  subscribers(runId: string): GatewayConnection[];
  /** Appends a gateway event to the run's log. */
  persist(runId: string, event: Record<string, unknown>): void;
  timeoutMs: number;
}

/**
 * Asks a run's subscribers to decide a hook, the way Agent Mux does: the recipients are the
 * subscribers at the moment of asking; with none the hook is allowed at once (`fallback`), and
 * without a decision before the deadline it is allowed too (`timeout`). The first decision of a
 * recipient wins; anyone else gets `ok: false`.
 */
export class HookBroker {
  readonly sent: SentHookRequest[] = [];
  readonly received: ReceivedHookDecision[] = [];
  readonly #pending = new Map<string, Pending>();
  readonly #deps: HookBrokerDeps;

  constructor(deps: HookBrokerDeps) {
    this.#deps = deps;
  }

  request(
    runId: string,
    hookKind: string,
    payload: Record<string, unknown>,
  ): Promise<HookDecision> {
    const hookRequestId = randomUUID();
    const recipients = this.#deps.subscribers(runId);
    if (recipients.length === 0) {
      this.#deps.persist(runId, {
        type: 'gateway.notification',
        code: 'hook_zero_subscribers',
        hookKind,
        hookRequestId,
      });
      this.#deps.persist(runId, {
        type: 'hook_decision',
        hookRequestId,
        hookKind,
        decision: 'allow',
        resolvedBy: 'fallback',
      });
      return Promise.resolve({ decision: 'allow' });
    }
    const request: SentHookRequest = {
      hookRequestId,
      runId,
      hookKind,
      payload,
      deadlineTs: Date.now() + this.#deps.timeoutMs,
      recipients: recipients.map(r => r.id),
    };
    this.sent.push(request);
    return new Promise(resolve => {
      const timer = setTimeout(
        () => this.#finish(hookRequestId, { decision: 'allow' }, 'timeout'),
        this.#deps.timeoutMs,
      );
      this.#pending.set(hookRequestId, {
        request,
        recipients,
        timer,
        resolve,
      });
      for (const recipient of recipients) {
        recipient.send({
          type: 'hook.request',
          hookRequestId,
          runId,
          hookKind,
          payload,
          deadlineTs: request.deadlineTs,
        });
      }
    });
  }

  /** Whether the decision was taken; false when the hook is settled or the sender was no recipient. */
  submit(
    connection: GatewayConnection,
    frame: {
      hookRequestId: string;
      decision: 'allow' | 'deny';
      reason?: string;
    },
  ): boolean {
    const pending = this.#pending.get(frame.hookRequestId);
    const accepted = Boolean(
      pending?.recipients.some(r => r.id === connection.id),
    );
    this.received.push({
      hookRequestId: frame.hookRequestId,
      connectionId: connection.id,
      decision: frame.decision,
      ...(frame.reason === undefined ? {} : { reason: frame.reason }),
      accepted,
      receivedAt: Date.now(),
    });
    if (accepted) {
      this.#finish(
        frame.hookRequestId,
        { decision: frame.decision, reason: frame.reason },
        connection.id,
      );
    }
    return accepted;
  }

  /** Forgets a finished run's open hooks, answering them with a deny nobody will act on. */
  cancelRun(runId: string): void {
    for (const [id, pending] of this.#pending) {
      if (pending.request.runId === runId) {
        clearTimeout(pending.timer);
        this.#pending.delete(id);
        pending.resolve({ decision: 'deny', reason: 'run ended' });
      }
    }
  }

  #finish(hookRequestId: string, decision: HookDecision, resolvedBy: string) {
    const pending = this.#pending.get(hookRequestId);
    if (!pending) {
      return;
    }
    clearTimeout(pending.timer);
    this.#pending.delete(hookRequestId);
    for (const loser of pending.recipients.filter(r => r.id !== resolvedBy)) {
      loser.send({
        type: 'hook.resolved',
        hookRequestId,
        resolvedBy,
        decision: decision.decision,
      });
    }
    this.#deps.persist(pending.request.runId, {
      type: 'hook_decision',
      hookRequestId,
      decision: decision.decision,
      ...(decision.decision === 'deny' && decision.reason
        ? { reason: decision.reason }
        : {}),
      resolvedBy,
    });
    pending.resolve(decision);
  }
}
