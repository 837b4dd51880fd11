import { ConflictError, NotAllowedError } from '@backstage/errors';
import {
  AgentApproval,
  AgentsObject,
  AGENTS_API_GROUP_VERSION,
} from '@krate/plugin-agents-common';
import { AgentActionDecision } from '@krate/plugin-agents-node';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { ATTEMPT_LABEL, RUN_LABEL } from '../dispatch/names';
import { ResourceStore } from '../resources/ResourceStore';
import { ApprovalListener } from './ApprovalNotifier';

const KIND = 'AgentApproval';
const SYSTEM_ACTOR = 'agents:approval-gate';

export interface ApprovalRequest {
  namespace: string;
  run: string;
  /** The attempt waiting on it; none for a write-back, which waits on no attempt. */
  attempt?: string;
  repository?: string;
  actionClass: AgentApproval['spec']['actionClass'];
  target: string;
  toolName?: string;
  detail?: unknown;
  interactionId?: string;
  requester: string;
  policySource: string;
  requesterMayApprove: boolean;
  approvers?: string[];
  /** Distinct approvers needed (default 1). */
  requiredApprovals?: number;
  /** A write-back approval approves this exact artifact digest and operation. */
  binding?: AgentApproval['spec']['binding'];
  expiryAction?: 'reject' | 'void';
  /** Overrides the configured expiry. */
  expireAfterMs?: number;
  /** Labels besides the run and attempt ones (an approval of no attempt has none). */
  labels?: Record<string, string>;
}

/**
 * Checks a decision before it is recorded, e.g. that a write-back approval's artifact is still
 * the diff it was asked for; throws (a ConflictError) to refuse it.
 */
export interface ApprovalGuard {
  check(approval: AgentApproval): Promise<void>;
}

export type ApprovalVerdict = 'approve' | 'reject';

/** The decision an approval ended with, as a runtime sees it. */
export function decisionOf(
  approval: AgentApproval,
): AgentActionDecision | undefined {
  const state = approval.status?.state;
  if (!state || state === 'pending') {
    return undefined;
  }
  const name = approval.metadata.name;
  if (state === 'approved') {
    return {
      decision: 'allow',
      reason:
        approval.status?.reason || `approved by ${approval.status?.decidedBy}`,
      approval: name,
    };
  }
  if (state === 'expired' || state === 'void') {
    return {
      decision: 'deny',
      reason:
        state === 'void'
          ? `the approval is void: ${approval.status?.reason}`
          : 'the approval expired without a decision',
      approval: name,
    };
  }
  return {
    decision: 'deny',
    reason:
      approval.status?.reason || `rejected by ${approval.status?.decidedBy}`,
    approval: name,
  };
}

/**
 * Human gates: opens AgentApprovals for attempts, records decisions, expires what nobody decided
 * (an expired gate counts as rejected: with no decision nothing runs), and wakes the attempts
 * waiting on them.
 */
export class ApprovalService {
  readonly #store: ResourceStore;
  readonly #expireAfterMs: number;
  readonly #now: () => Date;
  readonly #decided = new EventEmitter().setMaxListeners(0);
  readonly #pollMs: number;
  readonly #listeners: ApprovalListener[] = [];
  readonly #guards: ApprovalGuard[] = [];

  constructor(options: {
    store: ResourceStore;
    expireAfterMs: number;
    now?: () => Date;
    /** How often a waiter re-reads the approval, for decisions made by another instance. */
    pollMs?: number;
    /** Told of every gate opened and closed (the approver notifications). */
    listener?: ApprovalListener;
  }) {
    this.#store = options.store;
    this.#expireAfterMs = options.expireAfterMs;
    this.#now = options.now ?? (() => new Date());
    this.#pollMs = options.pollMs ?? 1000;
    if (options.listener) {
      this.#listeners.push(options.listener);
    }
  }

  /** Also tells `listener` of every gate opened and closed. */
  addListener(listener: ApprovalListener) {
    this.#listeners.push(listener);
  }

  /** Asks `guard` before every decision. */
  addGuard(guard: ApprovalGuard) {
    this.#guards.push(guard);
  }

  #opened(approval: AgentApproval) {
    for (const listener of this.#listeners) {
      listener.opened(approval);
    }
  }

  #closed(approval: AgentApproval) {
    for (const listener of this.#listeners) {
      listener.closed(approval);
    }
  }

  async open(request: ApprovalRequest): Promise<AgentApproval> {
    const now = this.#now();
    const name = `${request.run}-ap-${randomBytes(3).toString('hex')}`;
    const approval: AgentsObject = {
      apiVersion: AGENTS_API_GROUP_VERSION,
      kind: KIND,
      metadata: {
        name,
        namespace: request.namespace,
        labels: {
          [RUN_LABEL]: request.run,
          ...(request.attempt ? { [ATTEMPT_LABEL]: request.attempt } : {}),
          ...request.labels,
        },
      },
      spec: {
        actionClass: request.actionClass,
        target: request.target,
        ...(request.detail !== undefined ? { detail: request.detail } : {}),
        ...(request.toolName ? { toolName: request.toolName } : {}),
        requester: request.requester,
        run: request.run,
        ...(request.attempt ? { attempt: request.attempt } : {}),
        ...(request.repository ? { repository: request.repository } : {}),
        ...(request.interactionId
          ? { interactionId: request.interactionId }
          : {}),
        policySource: request.policySource,
        requesterMayApprove: request.requesterMayApprove,
        ...(request.approvers?.length ? { approvers: request.approvers } : {}),
        ...(request.requiredApprovals && request.requiredApprovals > 1
          ? { requiredApprovals: request.requiredApprovals }
          : {}),
        ...(request.binding ? { binding: request.binding } : {}),
        ...(request.expiryAction ? { expiryAction: request.expiryAction } : {}),
      },
      status: {
        state: 'pending',
        expiresAt: new Date(
          now.getTime() + (request.expireAfterMs ?? this.#expireAfterMs),
        ).toISOString(),
      },
    };
    const opened = (await this.#store.create(approval, {
      actor: SYSTEM_ACTOR,
    })) as AgentApproval;
    this.#opened(opened);
    return opened;
  }

  async get(namespace: string, name: string) {
    return (await this.#store.get(KIND, namespace, name)) as
      | AgentApproval
      | undefined;
  }

  /**
   * Records a human decision. Refuses (409) what is no longer pending or has expired, and (403)
   * a requester deciding their own request unless the stack allows it.
   */
  async decide(options: {
    approval: AgentApproval;
    verdict: ApprovalVerdict;
    reason?: string;
    actor: string;
    /**
     * The decider's user and group refs (Backstage ownership refs). A write-back approval that
     * names approvers takes decisions from them only.
     */
    ownership?: string[];
  }): Promise<AgentApproval> {
    const { approval, verdict, actor } = options;
    const ref = `${approval.metadata.namespace}/${approval.metadata.name}`;
    const state = approval.status?.state ?? 'pending';
    if (state !== 'pending') {
      throw new ConflictError(
        state === 'void'
          ? `AgentApproval ${ref} is void: ${approval.status?.reason}`
          : `AgentApproval ${ref} is already ${state}`,
      );
    }
    if (this.#isPastExpiry(approval)) {
      await this.#expire(approval);
      throw new ConflictError(
        `AgentApproval ${ref} expired at ${approval.status?.expiresAt}`,
      );
    }
    if (
      actor === approval.spec.requester &&
      !approval.spec.requesterMayApprove
    ) {
      throw new NotAllowedError(
        `${actor} requested ${ref} and may not decide it: the stack does not allow self-approval`,
      );
    }
    const approvers = approval.spec.approvers ?? [];
    if (approval.spec.binding && approvers.length > 0 && options.ownership) {
      const mine = new Set([actor, ...options.ownership]);
      if (!approvers.some(approver => mine.has(approver))) {
        throw new NotAllowedError(
          `${actor} is not an approver of ${ref}: approvers are ${approvers.join(
            ', ',
          )}`,
        );
      }
    }
    for (const guard of this.#guards) {
      await guard.check(approval);
    }
    const now = this.#now().toISOString();
    const approvals = approval.status?.approvals ?? [];
    if (verdict === 'approve' && approvals.some(a => a.by === actor)) {
      throw new ConflictError(`${actor} already approved ${ref}`);
    }
    const given =
      verdict === 'approve'
        ? [
            ...approvals,
            {
              by: actor,
              time: now,
              ...(options.reason ? { reason: options.reason } : {}),
            },
          ]
        : approvals;
    const required = approval.spec.requiredApprovals ?? 1;
    const complete = verdict === 'reject' || given.length >= required;
    const decided = await this.#store.updateStatus(
      {
        ...approval,
        status: {
          ...approval.status,
          ...(given.length > 0 ? { approvals: given } : {}),
          ...(complete
            ? {
                state: verdict === 'approve' ? 'approved' : 'rejected',
                decidedBy: actor,
                ...(options.reason ? { reason: options.reason } : {}),
                decisionTime: now,
              }
            : {}),
        },
      },
      { actor },
    );
    if (complete) {
      this.#decided.emit(ref);
      this.#closed(decided as AgentApproval);
    }
    return decided as AgentApproval;
  }

  /**
   * Voids a pending approval whose request no longer stands (its artifact was superseded): it
   * can no longer be decided, and says why. False when it was decided meanwhile.
   */
  async void(approval: AgentApproval, reason: string): Promise<boolean> {
    return this.#expire(approval, reason, 'void');
  }

  /** Resolves with the decision once the approval is decided or has expired. */
  async wait(
    namespace: string,
    name: string,
    signal?: AbortSignal,
  ): Promise<AgentActionDecision> {
    const ref = `${namespace}/${name}`;
    for (;;) {
      signal?.throwIfAborted();
      const approval = await this.get(namespace, name);
      if (!approval) {
        return {
          decision: 'deny',
          reason: `AgentApproval ${ref} was deleted`,
          approval: name,
        };
      }
      const decision = decisionOf(approval);
      if (decision) {
        return decision;
      }
      const untilExpiry =
        Date.parse(approval.status?.expiresAt ?? '') - this.#now().getTime();
      if (untilExpiry <= 0) {
        await this.#expire(approval);
        continue;
      }
      await new Promise<void>(resolve => {
        const timers: NodeJS.Timeout[] = [];
        const done = () => {
          timers.forEach(clearTimeout);
          this.#decided.off(ref, done);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        timers.push(setTimeout(done, Math.min(this.#pollMs, untilExpiry + 5)));
        this.#decided.on(ref, done);
        signal?.addEventListener('abort', done);
      });
    }
  }

  /** Expires `approval` if it is pending past its time; answers whether it did. */
  async expireIfDue(approval: AgentApproval): Promise<boolean> {
    return (
      (approval.status?.state ?? 'pending') === 'pending' &&
      this.#isPastExpiry(approval) &&
      this.#expire(approval)
    );
  }

  /** Expires every pending approval past its time; answers how many. */
  async expireDue(): Promise<number> {
    let expired = 0;
    let continueToken: string | undefined;
    do {
      const page = await this.#store.list(KIND, {
        fieldFilters: { phase: 'pending' },
        limit: 200,
        continueToken,
      });
      for (const item of page.items as AgentApproval[]) {
        if (this.#isPastExpiry(item) && (await this.#expire(item))) {
          expired += 1;
        }
      }
      continueToken = page.continueToken;
    } while (continueToken);
    return expired;
  }

  /** Every approval an attempt asked for, in any state. */
  forAttempt(namespace: string, attempt: string): Promise<AgentApproval[]> {
    return this.#ofAttempt(namespace, attempt);
  }

  /** The approvals of an attempt still waiting for a decision. */
  pendingForAttempt(
    namespace: string,
    attempt: string,
  ): Promise<AgentApproval[]> {
    return this.#ofAttempt(namespace, attempt, { phase: 'pending' });
  }

  async #ofAttempt(
    namespace: string,
    attempt: string,
    fieldFilters?: { phase: string },
  ): Promise<AgentApproval[]> {
    const page = await this.#store.list(KIND, {
      namespace,
      labelSelector: [
        { key: ATTEMPT_LABEL, operator: 'in', values: [attempt] },
      ],
      ...(fieldFilters ? { fieldFilters } : {}),
      limit: 500,
    });
    return page.items as AgentApproval[];
  }

  /**
   * Expires the approvals of an attempt that ended while they were pending: nothing is waiting
   * for them any more, and an approver must not think their decision still does something.
   */
  async closeForAttempt(namespace: string, attempt: string): Promise<number> {
    let closed = 0;
    for (const approval of await this.pendingForAttempt(namespace, attempt)) {
      if (await this.#expire(approval, 'The attempt ended before a decision')) {
        closed += 1;
      }
    }
    return closed;
  }

  #isPastExpiry(approval: AgentApproval) {
    const expiresAt = Date.parse(approval.status?.expiresAt ?? '');
    return Number.isFinite(expiresAt) && expiresAt <= this.#now().getTime();
  }

  /** Marks it expired unless someone decided meanwhile (the resource version guards the race). */
  async #expire(
    approval: AgentApproval,
    reason = 'No decision before the approval expired',
    state: 'expired' | 'void' = 'expired',
  ): Promise<boolean> {
    try {
      const expired = await this.#store.updateStatus(
        {
          ...approval,
          status: {
            ...approval.status,
            state,
            decidedBy: SYSTEM_ACTOR,
            reason,
            decisionTime: this.#now().toISOString(),
          },
        },
        { actor: SYSTEM_ACTOR },
      );
      this.#decided.emit(
        `${approval.metadata.namespace}/${approval.metadata.name}`,
      );
      this.#closed(expired as AgentApproval);
      return true;
    } catch (error) {
      if (
        error instanceof ConflictError ||
        (error as Error).name === 'ConflictError'
      ) {
        return false;
      }
      throw error;
    }
  }
}
