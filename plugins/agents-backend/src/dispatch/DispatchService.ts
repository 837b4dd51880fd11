import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  AgentApproval,
  AgentContextBundle,
  AgentDispatchAttempt,
  AgentDispatchRun,
  AgentsObject,
  AgentStack,
  AGENTS_API_GROUP_VERSION,
  AgentWorkspace,
  ATTEMPT_KINDS,
  ContextPreview,
  RUN_ACTIONS,
  RunAction,
  LINKED_WORK_ITEM_LABEL,
  AWAITING_BUDGET_APPROVAL_REASON,
  BUDGET_EXCEEDED_REASON,
  BudgetEstimate,
  TRIGGER_RULE_LABEL,
} from '@krate/plugin-agents-common';
import { LaunchProfile } from '@krate/plugin-agents-node';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DispatchParts, DISPATCHER_ACTOR } from './DispatchParts';
import { DispatchRequest } from './dispatchRequest';
import { endAttempt } from './endAttempt';
import {
  attemptName,
  attemptNumber,
  contextBundleName,
  isTerminal,
  RUN_LABEL,
  runtimeSessionLabels,
} from './names';
import { patchStatus } from './patchStatus';
import { LastAttemptFacts, runActionRefusal } from './runActionRules';
import { runName } from './names';
import { RunWorkspaces } from './RunWorkspaces';
import { lowerTrust } from '../workspaces/refTrust';
import { invalidStackMessage } from './invalidStackMessage';
import { WorkItemLinks } from '../workspaces/WorkItemLinks';
import { WorkItemRun, workItemRun } from '../workspaces/workItemRun';
import { mergeMemorySelections } from '../memory/context/mergeMemorySelections';
import { MemoryRequester } from '../memory/context/MemoryRequester';
import { RunMemory } from '../memory/context/RunMemory';
import {
  BUDGET_OWNER_ANNOTATION,
  BUDGETS_APPROVED_ANNOTATION,
} from '../budgets/budgetScope';
import { openDispatchApproval } from '../triggers/gated/openDispatchApproval';
import { sessionToContinue } from './sessionToContinue';

/** The stack controller's answer for a stack: what a run launched now would snapshot. */
export interface ResolvedStack {
  profile: LaunchProfile;
  digest: string;
  readiness: 'Ready' | 'Warning' | 'Invalid';
  conditions: {
    type: string;
    status: string;
    reason?: string;
    message?: string;
  }[];
}

export interface ProfileResolver {
  resolve(namespace: string, stack: string): Promise<ResolvedStack>;
}

type AttemptKind = (typeof ATTEMPT_KINDS)[number];

/** Who dispatches, where it matters beyond the actor's name. */
export interface DispatchOptions {
  /**
   * Reads the run's memory, when it asks for some, as the dispatcher may see it; default: the
   * plugin's own service (org-wide records only), as for runs from trigger rules.
   */
  memoryRequester?: MemoryRequester;
  /**
   * Creates the run `Waiting` with this reason and no attempt, for a human to release (a
   * trigger rule's `requireApproval`): see {@link DispatchService.release}.
   */
  hold?: { reason: string; message: string };
}

/**
 * A run's first attempt: `initial`, or a `continue` of the runtime session the run continues
 * (its id kept on the run's status when it was created) with the run's prompt.
 */
function firstAttemptOf(run: AgentDispatchRun) {
  const sessionId = run.status?.session;
  return run.spec.continuesSession && sessionId
    ? { kind: 'continue' as const, sessionId, prompt: run.spec.prompt }
    : { kind: 'initial' as const };
}

/**
 * Creates runs and their attempts, and carries out the run actions. Attempts are queued here
 * and executed by whichever instance's AttemptWorker claims them.
 */
export class DispatchService {
  readonly #links: WorkItemLinks;

  constructor(
    private readonly parts: DispatchParts,
    private readonly profiles: ProfileResolver,
    /** Tells this instance's worker that there is work. */
    private readonly onQueued: () => void,
    /** Cancels an attempt this instance drives; false when another instance drives it. */
    private readonly cancelLocal: (
      namespace: string,
      attempt: string,
    ) => boolean,
    private readonly runWorkspaces?: RunWorkspaces,
  ) {
    this.#links = new WorkItemLinks(parts.store);
  }

  /** The run object a dispatch would create, before any check against other objects. */
  draftRun(request: DispatchRequest, actor: string): AgentDispatchRun {
    return {
      apiVersion: AGENTS_API_GROUP_VERSION,
      kind: 'AgentDispatchRun',
      metadata: {
        name: runName(request.stack),
        namespace: request.namespace,
        labels: {
          'agents.krate.dev/stack': request.stack,
          ...(request.workItem
            ? { [LINKED_WORK_ITEM_LABEL]: request.workItem }
            : {}),
        },
      },
      spec: {
        stack: request.stack,
        // A secret pasted into the prompt is stored and shown masked, as in the context bundle.
        prompt: this.parts.redactor.redact(request.prompt).text,
        ...(request.repository ? { repository: request.repository } : {}),
        ...(request.ref ? { ref: request.ref } : {}),
        ...(request.contextLabels?.length
          ? { contextLabels: request.contextLabels }
          : {}),
        ...(request.workspace ? { workspace: request.workspace } : {}),
        ...(request.memory ? { memory: request.memory } : {}),
        ...(request.session ? { continuesSession: request.session } : {}),
        source: request.source ?? { kind: 'manual' },
        requestedBy: actor,
      },
    } as AgentDispatchRun;
  }

  /**
   * The context bundle the run would start with — stack system prompt, context labels, files
   * and prompt, redacted, with provenance and digest — assembled now without writing anything.
   * Files are read from the named workspace only; a run's own workspace does not exist yet.
   */
  async previewContext(
    draft: AgentDispatchRun,
    options: DispatchOptions = {},
  ): Promise<ContextPreview> {
    const { spec, resolved, named, stack } = await this.#check(draft);
    const memory = await this.#memoryOf(draft, spec, stack, options);
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'krate-preview-'));
    try {
      const assembled = await this.parts.contexts.assemble({
        namespace: draft.metadata.namespace,
        run: draft.metadata.name,
        attempt: attemptName(draft.metadata.name, 1),
        bundleName: contextBundleName(attemptName(draft.metadata.name, 1)),
        repository: spec.repository,
        prompt: spec.prompt,
        profile: resolved.profile,
        contextLabels: spec.contextLabels ?? [],
        workingDirectory: named?.spec.path ?? scratch,
        memorySnapshot: memory.memorySnapshot ?? null,
      });
      const { spec: bundle } = assembled.bundle as AgentContextBundle;
      return {
        parts: bundle.parts,
        digest: bundle.digest,
        profileDigest: resolved.digest,
      };
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  /** What a dispatch refers to must exist and the stack must be able to run. */
  async #check(draft: AgentDispatchRun) {
    const { store } = this.parts;
    const { namespace } = draft.metadata;
    const stack = (await store.get(
      'AgentStack',
      namespace,
      draft.spec.stack,
    )) as AgentStack | undefined;
    if (!stack) {
      throw new InputError(
        `stack: AgentStack ${namespace}/${draft.spec.stack} does not exist`,
      );
    }
    const workItemName = draft.metadata.labels?.[LINKED_WORK_ITEM_LABEL];
    const fromWorkItem = workItemName
      ? await workItemRun(store, namespace, workItemName, draft.spec)
      : undefined;
    const spec = fromWorkItem?.spec ?? draft.spec;
    for (const [index, label] of (spec.contextLabels ?? []).entries()) {
      if (!(await store.get('AgentContextLabel', namespace, label))) {
        throw new InputError(
          `contextLabels[${index}]: AgentContextLabel ${namespace}/${label} does not exist`,
        );
      }
    }
    let named: AgentWorkspace | undefined;
    if (spec.workspace) {
      named = (await store.get('AgentWorkspace', namespace, spec.workspace)) as
        | AgentWorkspace
        | undefined;
      if (!named) {
        throw new InputError(
          `workspace: AgentWorkspace ${namespace}/${spec.workspace} does not exist`,
        );
      }
      if (fromWorkItem) {
        checkWorkspaceFits(named, fromWorkItem);
      }
    }
    const resolved = await this.profiles.resolve(namespace, spec.stack);
    if (resolved.readiness === 'Invalid') {
      throw new ConflictError(
        invalidStackMessage(namespace, spec.stack, resolved),
      );
    }
    return { spec, fromWorkItem, named, resolved, stack };
  }

  /**
   * The run's memory: the stack's memory source, then the rule's or dispatch's selection on
   * top, resolved to a commit and run as the requester may see it. Nothing when none asks.
   */
  async #memoryOf(
    draft: AgentDispatchRun,
    spec: AgentDispatchRun['spec'],
    stack: AgentStack,
    options: DispatchOptions,
  ): Promise<Pick<AgentDispatchRun['spec'], 'memory' | 'memorySnapshot'>> {
    const { importUpdates: _imports, ...stackMemory } =
      stack.spec.memorySource ?? {};
    // A stack that only imports what its runs learn does not ask to read anything.
    const selection = mergeMemorySelections([
      Object.keys(stackMemory).length > 0 ? stackMemory : undefined,
      spec.memory,
    ]);
    if (!selection) return {};
    const requester = options.memoryRequester ?? this.parts.memoryRequester;
    if (!requester) {
      throw new Error('No memory requester is configured for dispatches');
    }
    const memory = this.parts.memory ?? new RunMemory(undefined);
    const { selection: merged, snapshot } = await memory.resolve({
      selection,
      namespace: draft.metadata.namespace,
      requester,
    });
    return { memory: merged, memorySnapshot: snapshot };
  }

  /**
   * Checks what the run refers to, snapshots the stack's profile, creates run + first attempt.
   * A run on a work item (the draft's work-item label) takes its source, repository and context
   * labels from it, and its workspace is linked to the work item. A run that asks for memory
   * gets its merged selection and the commit and manifest it resolved to (`spec.memory`,
   * `spec.memorySnapshot`), which every attempt of the run reads.
   */
  async dispatch(
    draft: AgentDispatchRun,
    actor: string,
    options: DispatchOptions = {},
  ): Promise<AgentDispatchRun> {
    const { store } = this.parts;
    const { namespace } = draft.metadata;
    const checked = await this.#check(draft);
    const { fromWorkItem, resolved } = checked;
    const continued = checked.spec.continuesSession
      ? await sessionToContinue(store, {
          namespace,
          spec: checked.spec,
          profile: resolved.profile,
          runtimeCanResume:
            this.parts.runtimes.get(resolved.profile.runtime)?.capabilities
              .resume === true,
        })
      : undefined;
    // Resolved before anything is written: a refused selection leaves no run behind.
    const spec = {
      ...checked.spec,
      ...(continued?.workspace ? { workspace: continued.workspace } : {}),
      ...(continued?.repository ? { repository: continued.repository } : {}),
      ...(await this.#memoryOf(draft, checked.spec, checked.stack, options)),
    };

    const owner = checked.stack.spec.owner;
    const budget = await this.#budgetVerdict(draft, spec, resolved, owner);
    if (budget?.verdict === 'refused') {
      throw new ConflictError(`${BUDGET_EXCEEDED_REASON}: ${budget.reason}`);
    }
    // A run a gated rule holds already waits for a human: one approval is enough.
    const heldForBudget =
      budget?.verdict === 'requiresApproval' && !options.hold;
    const approvalBudgets = heldForBudget
      ? budget.budgets
          .filter(b => b.wouldExceed && b.onExceed === 'requireApproval')
          .map(b => b.name)
      : [];
    const annotations: Record<string, string> = {
      ...(owner ? { [BUDGET_OWNER_ANNOTATION]: owner } : {}),
      ...(heldForBudget
        ? { [BUDGETS_APPROVED_ANNOTATION]: approvalBudgets.join(',') }
        : {}),
    };
    const hold = heldForBudget
      ? {
          reason: AWAITING_BUDGET_APPROVAL_REASON,
          message: `Waits for an approval before it starts: ${budget.reason}`,
        }
      : options.hold;
    let workspace = spec.workspace;
    let provisioned = false;
    if (!workspace && spec.repository && this.runWorkspaces) {
      const assigned = await this.runWorkspaces.assign({
        namespace,
        run: draft.metadata.name,
        repository: spec.repository,
        ref: spec.ref,
        workspacePolicy: resolved.profile.workspacePolicy,
        trustTier: fromWorkItem?.trustTier,
        actor,
      });
      workspace = assigned?.name;
      provisioned = assigned?.provisioned ?? false;
    }

    const first = attemptName(draft.metadata.name, 1);
    const run = await store.create(
      {
        ...draft,
        metadata: {
          ...draft.metadata,
          ...(continued
            ? {
                labels: {
                  ...draft.metadata.labels,
                  ...runtimeSessionLabels(continued.sessionId),
                },
              }
            : {}),
          ...(Object.keys(annotations).length > 0
            ? { annotations: { ...draft.metadata.annotations, ...annotations } }
            : {}),
        },
        spec: { ...spec, ...(workspace ? { workspace } : {}) },
        status: {
          phase: hold ? 'Waiting' : 'Queued',
          reason: hold?.reason ?? 'Queued',
          message: hold?.message ?? 'Waiting for a runner',
          runtime: resolved.profile.runtime,
          profileDigest: resolved.digest,
          ...(resolved.profile.runtimeServiceAccount
            ? { runtimeServiceAccount: resolved.profile.runtimeServiceAccount }
            : {}),
          ...(resolved.profile.runnerServiceAccount
            ? { runnerServiceAccount: resolved.profile.runnerServiceAccount }
            : {}),
          ...(hold ? {} : { currentAttempt: first }),
          ...(continued ? { session: continued.sessionId } : {}),
        },
      },
      { actor },
    );
    if (heldForBudget) {
      await openDispatchApproval(this.parts.approvals, {
        run: run as AgentDispatchRun,
        requester: actor,
        policySource: `AgentBudget/${approvalBudgets[0]}`,
        detail: { budget: budget.reason, estimate: budget.estimate },
        approvers: resolved.profile.approvers,
        requesterMayApprove: resolved.profile.allowSelfApproval,
      });
    }
    if (!hold) {
      await this.#queueAttempt(run as AgentDispatchRun, {
        name: first,
        ...firstAttemptOf(run as AgentDispatchRun),
        profile: resolved.profile,
        digest: resolved.digest,
        actor,
      });
    }
    if (fromWorkItem && workspace) {
      // The run is queued by now: a link that cannot be written costs the association, not the run.
      await this.#links
        .link({
          namespace,
          workItem: fromWorkItem.workItem.metadata.name,
          workspace,
          relation: provisioned ? 'owns' : 'references',
          repository: spec.repository,
          actor,
        })
        .catch(error =>
          this.parts.logger.warn(
            `Could not link WorkItem ${namespace}/${fromWorkItem.workItem.metadata.name} to AgentWorkspace ${workspace}: ${error}`,
          ),
        );
    }
    return run as AgentDispatchRun;
  }

  /** The budgets' verdict on a new run; none when no budget covers it. */
  async #budgetVerdict(
    draft: AgentDispatchRun,
    spec: AgentDispatchRun['spec'],
    resolved: ResolvedStack,
    owner: string | undefined,
  ): Promise<BudgetEstimate | undefined> {
    const rule = draft.metadata.labels?.[TRIGGER_RULE_LABEL];
    return this.parts.budgets?.verdictOn({
      namespace: draft.metadata.namespace,
      target: {
        stack: spec.stack,
        ...(rule ? { rule } : {}),
        ...(owner ? { owner } : {}),
      },
      model: resolved.profile.model,
      prompt: spec.prompt,
    });
  }

  /**
   * Starts a held run: moves it from `Waiting` with `heldReason` to `Queued` — with the run's
   * resourceVersion as precondition, so of two callers one does — and queues its first attempt,
   * with the stack's profile as it resolves now. A run released before whose first attempt is
   * missing (the releasing instance stopped in between) gets it. Answers whether this call moved
   * the run; false when it was released, or ended, already.
   */
  async release(
    run: AgentDispatchRun,
    heldReason: string,
    actor: string,
  ): Promise<boolean> {
    const { store } = this.parts;
    const { namespace, name } = run.metadata;
    const first = attemptName(name, 1);
    const resolved = await this.profiles.resolve(namespace, run.spec.stack);
    let current = run;
    let moved = false;
    if (current.status?.phase === 'Waiting') {
      if (current.status.reason !== heldReason) return false;
      if (resolved.readiness === 'Invalid') {
        throw new ConflictError(
          invalidStackMessage(namespace, run.spec.stack, resolved),
        );
      }
      try {
        current = (await store.updateStatus(
          {
            ...current,
            status: {
              ...current.status,
              phase: 'Queued',
              reason: 'Queued',
              message: `Released by ${actor}; waiting for a runner`,
              runtime: resolved.profile.runtime,
              profileDigest: resolved.digest,
              currentAttempt: first,
            },
          },
          { actor },
        )) as AgentDispatchRun;
        moved = true;
      } catch (error) {
        if ((error as Error).name !== 'ConflictError') throw error;
        return false;
      }
    }
    if (
      current.status?.currentAttempt === first &&
      !(await store.get('AgentDispatchAttempt', namespace, first))
    ) {
      try {
        await this.#queueAttempt(current, {
          name: first,
          ...firstAttemptOf(current),
          profile: resolved.profile,
          digest: resolved.digest,
          actor,
        });
      } catch (error) {
        // Another instance finishing the same release created it first.
        if ((error as Error).name !== 'ConflictError') throw error;
      }
    }
    return moved;
  }

  /**
   * Ends a held run `Cancelled` (its approval was rejected or expired), with the run's
   * resourceVersion as precondition; false when it was released or ended meanwhile.
   */
  async endHeld(
    run: AgentDispatchRun,
    heldReason: string,
    outcome: { reason: string; message: string },
    actor: string,
  ): Promise<boolean> {
    if (
      run.status?.phase !== 'Waiting' ||
      run.status.reason !== heldReason ||
      run.status.currentAttempt
    ) {
      return false;
    }
    try {
      await this.parts.store.updateStatus(
        {
          ...run,
          status: {
            ...run.status,
            phase: 'Cancelled',
            ...outcome,
            completionTime: new Date().toISOString(),
          },
        },
        { actor },
      );
      return true;
    } catch (error) {
      if ((error as Error).name !== 'ConflictError') throw error;
      return false;
    }
  }

  /**
   * Cancel stops the current attempt; retry, resume, fork and continue start a new attempt
   * linked to the last one. Each is refused with 409 and the reason when the run's phase or the
   * runtime does not allow it.
   */
  async act(
    run: AgentDispatchRun,
    action: RunAction,
    options: { prompt?: string; actor: string },
  ): Promise<AgentDispatchRun> {
    const last = isTerminal(run.status?.phase)
      ? await this.#currentAttempt(run)
      : undefined;
    const refusal = runActionRefusal(run, action, last && this.#factsOf(last));
    if (refusal) {
      throw new ConflictError(refusal);
    }
    if (action === 'cancel') {
      await this.#cancel(run, options.actor);
      return (await this.parts.store.get(
        'AgentDispatchRun',
        run.metadata.namespace,
        run.metadata.name,
      )) as AgentDispatchRun;
    }
    if (action === 'continue' && !options.prompt) {
      throw new InputError('prompt: continue needs a follow-up prompt');
    }
    // Every action but cancel was refused above unless the run finished, so there is one.
    const previous = last!;
    await this.#refuseOverBudget(run, previous, options.prompt);
    const sessionId = previous.status?.sessionId;
    const kind: AttemptKind = action;
    const name = attemptName(
      run.metadata.name,
      attemptNumber(previous.metadata.name) + 1,
    );
    await patchStatus(
      this.parts.store,
      {
        kind: 'AgentDispatchRun',
        namespace: run.metadata.namespace,
        name: run.metadata.name,
      },
      status => {
        const { completionTime: _done, ...rest } = status;
        return {
          ...rest,
          phase: 'Queued',
          reason: 'Queued',
          message: `${action} requested by ${options.actor}`,
          currentAttempt: name,
        };
      },
      options.actor,
    );
    await this.#queueAttempt(run, {
      name,
      kind,
      previous,
      profile: previous.spec.launchProfile as LaunchProfile,
      digest: previous.spec.profileDigest ?? run.status?.profileDigest ?? '',
      sessionId: kind === 'retry' ? undefined : sessionId,
      prompt: options.prompt,
      actor: options.actor,
    });
    return (await this.parts.store.get(
      'AgentDispatchRun',
      run.metadata.namespace,
      run.metadata.name,
    )) as AgentDispatchRun;
  }

  /**
   * A new attempt of a run costs like a new run: refused (409) while a budget covering the run
   * would go over. Approval budgets refuse too: a held run can be approved, an attempt cannot.
   */
  async #refuseOverBudget(
    run: AgentDispatchRun,
    previous: AgentDispatchAttempt,
    prompt: string | undefined,
  ) {
    const { labels, annotations } = run.metadata;
    const rule = labels?.[TRIGGER_RULE_LABEL];
    const owner = annotations?.[BUDGET_OWNER_ANNOTATION];
    const approved = annotations?.[BUDGETS_APPROVED_ANNOTATION]?.split(',');
    const verdict = await this.parts.budgets?.verdictOn({
      namespace: run.metadata.namespace,
      target: {
        stack: run.spec.stack,
        ...(rule ? { rule } : {}),
        ...(owner ? { owner } : {}),
      },
      model: (previous.spec.launchProfile as LaunchProfile | undefined)?.model,
      prompt: prompt ?? run.spec.prompt,
      except: approved,
    });
    if (verdict && verdict.verdict !== 'allowed') {
      throw new ConflictError(`${BUDGET_EXCEEDED_REASON}: ${verdict.reason}`);
    }
  }

  /** Each action with the reason the run refuses it, if it does. */
  async actionsOf(
    run: AgentDispatchRun,
  ): Promise<{ action: RunAction; refusal?: string }[]> {
    const last = isTerminal(run.status?.phase)
      ? await this.#currentAttempt(run)
      : undefined;
    const facts = last && this.#factsOf(last);
    return RUN_ACTIONS.map(action => {
      const refusal = runActionRefusal(run, action, facts);
      return refusal ? { action, refusal } : { action };
    });
  }

  #factsOf(attempt: AgentDispatchAttempt): LastAttemptFacts {
    return {
      name: attempt.metadata.name,
      runtime: attempt.spec.runtime,
      sessionId: attempt.status?.sessionId,
      runtimeCanResume:
        this.parts.runtimes.get(attempt.spec.runtime)?.capabilities.resume ===
        true,
    };
  }

  async #currentAttempt(run: AgentDispatchRun): Promise<AgentDispatchAttempt> {
    const name =
      run.status?.currentAttempt ?? attemptName(run.metadata.name, 1);
    const attempt = await this.parts.store.get(
      'AgentDispatchAttempt',
      run.metadata.namespace,
      name,
    );
    if (!attempt) {
      throw new NotFoundError(
        `AgentDispatchAttempt ${run.metadata.namespace}/${name} not found`,
      );
    }
    return attempt as AgentDispatchAttempt;
  }

  async #cancel(run: AgentDispatchRun, actor: string) {
    if (run.status?.phase === 'Waiting' && !run.status.currentAttempt) {
      // Held before its first attempt: nothing runs, so it ends here, and its gate with it.
      const outcome = { reason: 'Cancelled', message: `Cancelled by ${actor}` };
      if (await this.endHeld(run, run.status.reason ?? '', outcome, actor)) {
        await this.#voidApprovals(run, `The run was cancelled by ${actor}`);
      }
      return undefined;
    }
    const attempt = await this.#currentAttempt(run);
    const entry = {
      namespace: run.metadata.namespace,
      attempt: attempt.metadata.name,
    };
    if (this.cancelLocal(entry.namespace, entry.attempt)) {
      await this.parts.leases.requestCancel(entry);
      return this.#awaitTerminal(run);
    }
    const { row, leaseLive } = await this.parts.leases.requestCancel(entry);
    if (row && !row.owner) {
      // Never claimed: the claiming instance sees the flag and ends it Cancelled at once.
      this.onQueued();
      return this.#awaitTerminal(run);
    }
    if (row && leaseLive) {
      // Another live instance drives it and sees the flag at its next lease renewal.
      return undefined;
    }
    // Nobody drives it (the lease lapsed, or it ended just now): end it here.
    await endAttempt(this.parts, {
      attempt,
      run,
      outcome: {
        phase: 'Cancelled',
        reason: 'Cancelled',
        message: `Cancelled by ${actor}`,
      },
      actor,
    });
    return undefined;
  }

  async #voidApprovals(run: AgentDispatchRun, reason: string) {
    const page = await this.parts.store.list('AgentApproval', {
      namespace: run.metadata.namespace,
      labelSelector: [
        { key: RUN_LABEL, operator: 'in', values: [run.metadata.name] },
      ],
      fieldFilters: { phase: 'pending' },
      limit: 50,
    });
    for (const approval of page.items as AgentApproval[]) {
      await this.parts.approvals.void(approval, reason);
    }
  }

  /** Gives a local cancel a moment to land, so the answer usually shows Cancelled. */
  async #awaitTerminal(run: AgentDispatchRun) {
    for (let i = 0; i < 50; i++) {
      const current = await this.parts.store.get(
        'AgentDispatchRun',
        run.metadata.namespace,
        run.metadata.name,
      );
      if (isTerminal(current?.status?.phase)) {
        return;
      }
      await new Promise(resolve => setTimeout(resolve, 20));
    }
  }

  async #queueAttempt(
    run: AgentDispatchRun,
    options: {
      name: string;
      kind: AttemptKind;
      previous?: AgentDispatchAttempt;
      profile: LaunchProfile;
      digest: string;
      sessionId?: string;
      prompt?: string;
      actor: string;
    },
  ) {
    const { namespace } = run.metadata;
    const attempt: AgentsObject = {
      apiVersion: AGENTS_API_GROUP_VERSION,
      kind: 'AgentDispatchAttempt',
      metadata: {
        name: options.name,
        namespace,
        labels: { [RUN_LABEL]: run.metadata.name },
      },
      spec: {
        run: run.metadata.name,
        kind: options.kind,
        ...(options.previous
          ? { previousAttempt: options.previous.metadata.name }
          : {}),
        stack: run.spec.stack,
        ...(run.spec.repository ? { repository: run.spec.repository } : {}),
        runtime: options.profile.runtime,
        ...(options.prompt
          ? { prompt: this.parts.redactor.redact(options.prompt).text }
          : {}),
        ...(run.spec.workspace ? { workspace: run.spec.workspace } : {}),
        contextBundle: contextBundleName(options.name),
        ...(options.digest ? { profileDigest: options.digest } : {}),
        launchProfile: options.profile,
        ...(options.sessionId ? { sessionId: options.sessionId } : {}),
      },
      status: {
        phase: 'Queued',
        reason: 'Queued',
        message: 'Waiting for a runner',
      },
    };
    await this.parts.store.create(attempt, {
      actor: options.actor ?? DISPATCHER_ACTOR,
    });
    await this.parts.leases.enqueue({
      namespace,
      attempt: options.name,
      run: run.metadata.name,
    });
    this.onQueued();
  }
}

/**
 * A named workspace must hold the work item's repository, and be no more trusted than the work
 * item's runs: forked work never lands in a trusted workspace.
 */
function checkWorkspaceFits(workspace: AgentWorkspace, run: WorkItemRun) {
  const { namespace, name } = workspace.metadata;
  const { repository, trustTier } = workspace.spec;
  const workItem = `WorkItem ${namespace}/${run.workItem.metadata.name}`;
  if (repository !== run.spec.repository) {
    throw new InputError(
      `workspace: AgentWorkspace ${namespace}/${name} holds ${repository}, not ${run.spec.repository} of ${workItem}`,
    );
  }
  if (run.trustTier && lowerTrust(trustTier, run.trustTier) !== trustTier) {
    throw new InputError(
      `workspace: AgentWorkspace ${namespace}/${name} is ${trustTier}; ${workItem} is a pull request from a fork, whose runs are ${run.trustTier} and work in an isolated workspace`,
    );
  }
}
