import {
  AgentDispatchAttempt,
  AgentDispatchRun,
  LINKED_WORK_ITEM_LABEL,
  RunEventPayload,
} from '@krate/plugin-agents-common';
import {
  AgentActionDecision,
  AgentActionRequest,
  AgentAttemptHost,
  AgentAttemptStop,
  LaunchProfile,
} from '@krate/plugin-agents-node';
import { LoggerService } from '@backstage/backend-plugin-api';
import { decideAction } from './ActionPolicy';
import { AttemptEventWriter } from './AttemptEventWriter';
import { DISPATCHER_ACTOR, DispatchParts } from './DispatchParts';
import { FinalAnswer } from './FinalAnswer';
import { Redactor } from './Redactor';
import { StatusWriter } from './StatusWriter';
import { sessionRecordName } from './names';
import { WorkItemSessionLinks } from '../workItems/WorkItemSessionLinks';
import { AttemptCharges } from '../budgets/AttemptCharges';
import { Usage } from '../budgets/ModelPrices';

/** The reported artifacts kept as review artifacts; logs and reports stay in the event log. */
const REVIEWABLE_KINDS: Partial<
  Record<string, 'patch' | 'review' | 'comment'>
> = {
  patch: 'patch',
  review: 'review',
  comment: 'comment',
};

/**
 * The backend side of one running attempt: persists what the runtime reports (events, runtime
 * run id, session id, cost), decides its actions by policy and human approvals, and keeps the
 * attempt's and run's phase (Running ⇄ Waiting) in step.
 */
export class AttemptHost implements AgentAttemptHost {
  readonly #parts: DispatchParts;
  readonly #attempt: AgentDispatchAttempt;
  readonly #run: AgentDispatchRun;
  readonly #profile: LaunchProfile;
  readonly #writer: AttemptEventWriter;
  readonly #signal: AbortSignal;
  readonly #redactor: Redactor;
  /** Status writes of the attempt's objects, merged while one is in flight. */
  readonly statuses: StatusWriter;
  #pendingApprovals = 0;
  #patchTitle?: string;
  readonly #answer = new FinalAnswer();
  readonly #recordings = new Set<Promise<void>>();
  readonly logger: LoggerService;
  /** The attempt's spend in the ledger, against the budgets' hard caps; none without budgets. */
  readonly #charges?: AttemptCharges;
  /** A cost was reported that the hard caps have not been checked against yet. */
  #costUnchecked = false;

  constructor(options: {
    parts: DispatchParts;
    attempt: AgentDispatchAttempt;
    run: AgentDispatchRun;
    profile: LaunchProfile;
    /** One past the run's last stored seq. */
    nextSeq: number;
    signal: AbortSignal;
    /** Redacts this attempt's output; default the engine's (add the attempt's secrets to it). */
    redactor?: Redactor;
    /** Stops the attempt: a hard-capped budget it is charged to has reached its limit. */
    onBudgetExceeded?: (message: string) => void;
  }) {
    this.#parts = options.parts;
    this.#redactor = options.redactor ?? options.parts.redactor;
    this.#attempt = options.attempt;
    this.#run = options.run;
    this.#profile = options.profile;
    this.#writer = new AttemptEventWriter({
      log: options.parts.events,
      redactor: this.#redactor,
      namespace: options.run.metadata.namespace,
      run: options.run.metadata.name,
      attempt: options.attempt.metadata.name,
      nextSeq: options.nextSeq,
      onCost: delta => this.addCost(delta),
    });
    this.#signal = options.signal;
    this.logger = options.parts.logger.child({
      run: options.run.metadata.name,
      attempt: options.attempt.metadata.name,
    });
    const budgets = options.parts.budgets;
    this.#charges = budgets
      ? new AttemptCharges({
          budgets,
          attempt: options.attempt,
          run: options.run,
          model: options.profile.model,
          logger: this.logger,
          onExceeded: options.onBudgetExceeded,
        })
      : undefined;
    this.statuses = new StatusWriter(
      options.parts.store,
      DISPATCHER_ACTOR,
      this.logger,
    );
  }

  get signal() {
    return this.#signal;
  }

  /** The attempt's event writer, for the execution's own events and the final drain. */
  get writer() {
    return this.#writer;
  }

  emit(event: RunEventPayload, options?: { runtimeSeq?: number }) {
    this.#writer.push(event, options?.runtimeSeq);
    this.#answer.observe(event);
    if (event.type === 'cost') this.#costUnchecked = true;
    if (event.type === 'artifact' && event.content !== undefined) {
      const recording = this.#recordArtifact(event);
      this.#recordings.add(recording);
      void recording.finally(() => this.#recordings.delete(recording));
    }
  }

  /**
   * Records an artifact the runtime reported. In a run with a workspace the workspace's own diff
   * is the patch artifact (taken when the attempt ends, see `collectArtifacts`), so a
   * reported patch only names it; anything else is kept as a review artifact of its own.
   */
  async #recordArtifact(event: Extract<RunEventPayload, { type: 'artifact' }>) {
    const collector = this.#parts.artifacts;
    const kind = REVIEWABLE_KINDS[event.artifactKind];
    if (!collector || !kind) {
      return;
    }
    if (kind === 'patch' && this.#run.spec.workspace) {
      this.#patchTitle = event.name;
      return;
    }
    const content = this.#redactor.redact(event.content ?? '').text;
    try {
      await collector.recordText(this.#run, this.#attempt.metadata.name, {
        kind,
        title: event.name,
        body: content,
        ...(event.target ? { target: event.target } : {}),
      });
    } catch (error) {
      this.logger.warn(`Could not record artifact ${event.name}: ${error}`);
    }
  }

  /**
   * Takes what the attempt leaves for review once it has stopped working: the run's workspace
   * diff as its patch artifact, and — for a stack whose write-back mode is `comment` — the agent's
   * last message as a proposed comment.
   */
  async collectArtifacts() {
    const collector = this.#parts.artifacts;
    if (!collector) {
      return;
    }
    try {
      if (this.#run.spec.workspace) {
        await collector.collectPatch(this.#run, {
          attempt: this.#attempt.metadata.name,
          secrets: this.#redactor,
          ...(this.#patchTitle ? { title: this.#patchTitle } : {}),
        });
      }
      const answer = this.#answer.text;
      if (this.#profile.writeBackPolicy?.mode === 'comment' && answer) {
        const source = this.#run.spec.source;
        await collector.recordText(this.#run, this.#attempt.metadata.name, {
          kind: 'comment',
          title: `Comment proposed by ${this.#profile.stack}`,
          body: this.#redactor.redact(answer).text,
          ...((source?.kind === 'issue' || source?.kind === 'pull-request') &&
          source.name
            ? { target: { kind: source.kind, ref: source.name } }
            : {}),
        });
      }
    } catch (error) {
      this.emit({
        type: 'warning',
        code: 'ArtifactNotTaken',
        message: `The attempt's artifacts could not be taken: ${
          (error as Error).message
        }`,
      });
    }
  }

  async checkpoint(runtimeSeq: number): Promise<void> {
    await this.#writer.drain();
    const held = await this.#parts.leases.recordRuntimeSeq(
      {
        namespace: this.#attempt.metadata.namespace,
        attempt: this.#attempt.metadata.name,
      },
      runtimeSeq,
    );
    if (!held) {
      throw new AgentAttemptStop('lease-lost');
    }
  }

  bindRuntimeRun(runtimeRunId: string): Promise<void> {
    return this.updateAttempt(status => ({ ...status, runtimeRunId }));
  }

  async bindSession(sessionId: string): Promise<void> {
    await Promise.all([
      this.updateAttempt(status => ({
        ...status,
        sessionId,
        ...(status.reason === 'SessionBindingPending'
          ? { reason: 'Running', message: `Session ${sessionId}` }
          : {}),
      })),
      this.updateRun(status => ({
        ...status,
        session: sessionId,
        ...(status.reason === 'SessionBindingPending'
          ? { reason: 'Running', message: `Session ${sessionId}` }
          : {}),
      })),
      this.statuses.update(
        {
          kind: 'AgentSession',
          namespace: this.#attempt.metadata.namespace,
          name: this.sessionRecord,
        },
        status => ({
          ...status,
          state: 'active',
          sessionId,
          lastActivityTime: new Date().toISOString(),
        }),
      ),
      this.#linkWorkItem(),
    ]);
  }

  /** A run started from a work item links the work item to each of its sessions. */
  async #linkWorkItem() {
    const workItem = this.#run.metadata.labels?.[LINKED_WORK_ITEM_LABEL];
    if (!workItem) return;
    try {
      await new WorkItemSessionLinks(this.#parts.store).link({
        namespace: this.#run.metadata.namespace,
        workItem,
        session: this.sessionRecord,
        run: this.#run.metadata.name,
        repository: this.#run.spec.repository,
        actor: DISPATCHER_ACTOR,
      });
    } catch (error) {
      // The session is bound all the same: a missing link costs the association, not the run.
      this.logger.warn(
        `Could not link WorkItem ${workItem} to AgentSession ${this.sessionRecord}: ${error}`,
      );
    }
  }

  /** The AgentSession record this attempt reports into. */
  get sessionRecord() {
    return sessionRecordName(this.#attempt.metadata.name);
  }

  async authorize(
    request: AgentActionRequest,
    options: { wait?: boolean } = {},
  ): Promise<AgentActionDecision> {
    // Before anything is allowed to act, the attempt is durably Running (its start is a lazy
    // status change): an instance that takes it over then knows it may have done something.
    await this.statuses.settle();
    await this.#checkCosts();
    const verdict = decideAction(this.#profile, request);
    if (verdict.verdict !== 'human') {
      this.emit({
        type: 'policy_decision',
        actionClass: request.actionClass,
        target: request.target,
        decision: verdict.verdict,
        reason: verdict.reason,
      });
      return { decision: verdict.verdict, reason: verdict.reason };
    }
    const { approvals } = this.#parts;
    const redactor = this.#redactor;
    const approval = await approvals.open({
      namespace: this.#attempt.metadata.namespace,
      run: this.#run.metadata.name,
      attempt: this.#attempt.metadata.name,
      repository: this.#run.spec.repository,
      actionClass: request.actionClass,
      target: redactor.redact(request.target).text,
      toolName: request.toolName,
      detail: redactor.redactJson(request.detail),
      interactionId: request.interactionId,
      requester: this.#run.spec.requestedBy ?? DISPATCHER_ACTOR,
      policySource: verdict.policySource,
      requesterMayApprove: this.#profile.allowSelfApproval,
      approvers: this.#profile.approvers,
    });
    const name = approval.metadata.name;
    this.emit({
      type: 'approval_requested',
      approval: name,
      actionClass: request.actionClass,
      target: approval.spec.target,
      policySource: verdict.policySource,
    });
    this.#pendingApprovals += 1;
    await this.#setPhase(
      'Waiting',
      'ApprovalBlocked',
      `Waiting for approval ${name}: ${verdict.reason}`,
    );
    if (options.wait === false) {
      return {
        decision: 'deny',
        reason: `${verdict.reason}; held for a human decision (${name})`,
        approval: name,
        pending: true,
      };
    }
    return this.awaitApproval(name);
  }

  async awaitApproval(approval: string): Promise<AgentActionDecision> {
    const decision = await this.#parts.approvals.wait(
      this.#attempt.metadata.namespace,
      approval,
      this.#signal,
    );
    const stored = await this.#parts.approvals.get(
      this.#attempt.metadata.namespace,
      approval,
    );
    const state = stored?.status?.state;
    let outcome: 'approved' | 'rejected' | 'expired' = 'rejected';
    if (state === 'expired') {
      outcome = 'expired';
    } else if (decision.decision === 'allow') {
      outcome = 'approved';
    }
    this.emit({
      type: 'approval_decided',
      approval,
      decision: outcome,
      ...(stored?.status?.decidedBy
        ? { decidedBy: stored.status.decidedBy }
        : {}),
      reason: decision.reason,
    });
    await this.approvalSettled(decision.reason);
    return decision;
  }

  /**
   * One approval the attempt waited on is decided: back to Running once none is pending. A
   * runtime that reads decisions itself (a runner pod) reports them through this.
   */
  async approvalSettled(reason: string) {
    this.#pendingApprovals = Math.max(0, this.#pendingApprovals - 1);
    if (this.#pendingApprovals === 0) {
      await this.#setPhase('Running', 'Running', reason);
    }
  }

  /**
   * Adds an attempt's cost to the attempt and its run (in USD at the organisation's price of the
   * model, when it has one), and sets the attempt's running total in the spend ledger.
   */
  addCost(reported: Usage) {
    const budgets = this.#parts.budgets;
    const delta = budgets
      ? budgets.prices.priced(this.#profile.model, reported)
      : reported;
    const add = (status: Record<string, any>) => {
      const cost = status.cost ?? { usd: 0, inputTokens: 0, outputTokens: 0 };
      return {
        ...status,
        cost: {
          usd: Math.round((cost.usd + delta.usd) * 1e6) / 1e6,
          inputTokens: cost.inputTokens + delta.inputTokens,
          outputTokens: cost.outputTokens + delta.outputTokens,
        },
      };
    };
    void this.updateAttempt(add, { lazy: true });
    void this.updateRun(add, { lazy: true });
    this.#charges?.add(delta);
  }

  /**
   * Before an action: the costs reported so far are in the ledger and checked against the hard
   * caps, so a step after the cost that crosses one never runs.
   */
  async #checkCosts() {
    if (!this.#costUnchecked) return;
    this.#costUnchecked = false;
    await this.#writer.drain().catch(() => undefined);
    await this.#charges?.settled();
    this.#signal.throwIfAborted();
  }

  async #setPhase(phase: string, reason: string, message: string) {
    this.emit({ type: 'attempt_phase', phase, reason, message });
    await this.updateAttempt(status => ({
      ...status,
      phase,
      reason,
      message,
    }));
    await this.updateRun(status => ({ ...status, phase, reason, message }));
  }

  /** Waits for every queued status write (but lazy ones, with `keepLazy`). */
  async settle(options: { keepLazy?: boolean } = {}) {
    await Promise.all(this.#recordings);
    await this.#charges?.settled();
    await this.statuses.settle(options);
  }

  updateAttempt(
    change: (status: Record<string, any>) => Record<string, any>,
    options?: { lazy?: boolean },
  ) {
    const { namespace, name } = this.#attempt.metadata;
    return this.statuses.update(
      { kind: 'AgentDispatchAttempt', namespace, name },
      change,
      options,
    );
  }

  updateRun(
    change: (status: Record<string, any>) => Record<string, any>,
    options?: { lazy?: boolean },
  ) {
    const { namespace, name } = this.#run.metadata;
    return this.statuses.update(
      { kind: 'AgentDispatchRun', namespace, name },
      change,
      options,
    );
  }
}
