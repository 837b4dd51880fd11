import { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import {
  AgentApproval,
  AgentDispatchRun,
  AgentTriggerExecution,
  AgentTriggerRule,
  AWAITING_BUDGET_APPROVAL_REASON,
  TRIGGER_RULE_LABEL,
} from '@krate/plugin-agents-common';
import { ApprovalService } from '../../approvals/ApprovalService';
import {
  DispatchService,
  ProfileResolver,
} from '../../dispatch/DispatchService';
import { RUN_LABEL } from '../../dispatch/names';
import { ResourceStore, StoredResource } from '../../resources/ResourceStore';
import { TRIGGER_CONTROLLER_ACTOR } from '../RuleFiring';
import { BUDGETS_APPROVED_ANNOTATION } from '../../budgets/budgetScope';
import { openDispatchApproval } from './openDispatchApproval';

/** The reason of a run a gated rule created, while it waits for its approval. */
export const AWAITING_APPROVAL = 'AwaitingApproval';

/** Label of a held run: the AgentTriggerExecution that created it. */
export const TRIGGER_EXECUTION_LABEL = 'agents.krate.dev/trigger-execution';

/** The reasons of runs held for a `dispatch` approval: a gated rule's, or a budget's. */
const HELD_REASONS = [AWAITING_APPROVAL, AWAITING_BUDGET_APPROVAL_REASON];

/** Rule status counts of the decisions on gated runs. */
const COUNT_OF_STATE: Record<string, string> = {
  approved: 'approved',
  rejected: 'approvalRejected',
  expired: 'approvalExpired',
  void: 'approvalExpired',
};

export interface RunGateOptions {
  store: ResourceStore;
  approvals: Pick<ApprovalService, 'open'>;
  dispatch: Pick<DispatchService, 'dispatch' | 'release' | 'endHeld'>;
  profiles: ProfileResolver;
  logger: LoggerService;
}

/**
 * The human gate of rules with `spec.requireApproval`: their runs are created `Waiting`
 * (`AwaitingApproval`, no attempt) with a `dispatch` AgentApproval; an approval releases the
 * run (Queued, first attempt), a rejection or expiry ends it Cancelled. Settling is keyed on
 * the run's resourceVersion, so a decision seen twice, or by two instances, acts once.
 */
export class RunGate {
  constructor(private readonly options: RunGateOptions) {}

  /** Creates the run held, and its approval; answers both names. */
  async hold(
    rule: AgentTriggerRule,
    draft: AgentDispatchRun,
    execution: string,
  ): Promise<{ run: string; approval: string }> {
    draft.metadata.labels = {
      ...draft.metadata.labels,
      [TRIGGER_EXECUTION_LABEL]: execution,
    };
    const run = await this.options.dispatch.dispatch(
      draft,
      TRIGGER_CONTROLLER_ACTOR,
      {
        hold: {
          reason: AWAITING_APPROVAL,
          message: `Waits for an approval before it starts (AgentTriggerRule ${rule.metadata.name} requires one)`,
        },
      },
    );
    const approval = await this.#open(rule.metadata.name, run, execution);
    return { run: run.metadata.name, approval };
  }

  async #open(rule: string, run: AgentDispatchRun, execution: string) {
    const { namespace } = run.metadata;
    const { profile } = await this.options.profiles.resolve(
      namespace,
      run.spec.stack,
    );
    const approval = await openDispatchApproval(this.options.approvals, {
      run,
      requester: TRIGGER_CONTROLLER_ACTOR,
      policySource: `AgentTriggerRule/${rule}`,
      detail: { rule, execution },
      approvers: profile.approvers,
      labels: { [TRIGGER_RULE_LABEL]: rule },
    });
    return approval.metadata.name;
  }

  /**
   * Opens the approval of a run held over budgets whose dispatch stopped before opening it, as
   * the dispatch would have: the budgets it goes over are on the run, the reason in its message.
   */
  async #openForBudgets(run: AgentDispatchRun) {
    const budgets =
      run.metadata.annotations?.[BUDGETS_APPROVED_ANNOTATION]?.split(',') ?? [];
    const { profile } = await this.options.profiles.resolve(
      run.metadata.namespace,
      run.spec.stack,
    );
    await openDispatchApproval(this.options.approvals, {
      run,
      requester: run.spec.requestedBy ?? TRIGGER_CONTROLLER_ACTOR,
      policySource: `AgentBudget/${budgets[0] ?? ''}`,
      detail: { budget: run.status?.message ?? '' },
      approvers: profile.approvers,
      requesterMayApprove: profile.allowSelfApproval,
    });
  }

  /** ApprovalListener: a decided or expired dispatch approval settles its run. */
  opened() {}

  closed(approval: AgentApproval) {
    if (approval.spec.actionClass !== 'dispatch') return;
    this.settle(approval).catch(error =>
      this.options.logger.warn(
        `Could not settle the run of AgentApproval ${approval.metadata.namespace}/${approval.metadata.name}`,
        isError(error) ? error : undefined,
      ),
    );
  }

  /**
   * Acts on a decided approval of a held run: releases it, or ends it Cancelled with the
   * decision's reason, then notes the decision on the execution and counts it on the rule —
   * only the caller whose status write moved the run does.
   */
  async settle(approval: AgentApproval): Promise<void> {
    const { store, dispatch } = this.options;
    const state = approval.status?.state ?? 'pending';
    const { namespace } = approval.metadata;
    if (state === 'pending' || !approval.spec.run) return;
    const run = (await store.get(
      'AgentDispatchRun',
      namespace,
      approval.spec.run,
    )) as AgentDispatchRun | undefined;
    if (!run) return;
    // A run held for a budget waits under its own reason; anything else is a gated rule's.
    const held =
      run.status?.reason === AWAITING_BUDGET_APPROVAL_REASON
        ? AWAITING_BUDGET_APPROVAL_REASON
        : AWAITING_APPROVAL;
    const by = approval.status?.decidedBy ?? 'unknown';
    const said = approval.status?.reason;
    let moved: boolean;
    let message: string;
    if (state === 'approved') {
      message = `Approved by ${by}${said ? `: ${said}` : ''}`;
      moved = await dispatch.release(run, held, by);
    } else {
      message =
        state === 'rejected'
          ? `Rejected by ${by}${said ? `: ${said}` : ''}`
          : `The approval ${state === 'void' ? 'is void' : 'expired'}: ${
              said ?? 'no decision'
            }`;
      moved = await dispatch.endHeld(
        run,
        held,
        {
          reason: state === 'rejected' ? 'ApprovalRejected' : 'ApprovalExpired',
          message,
        },
        by,
      );
    }
    if (!moved) return;
    const detail = (approval.spec.detail ?? {}) as Record<string, unknown>;
    const rule = run.metadata.labels?.[TRIGGER_RULE_LABEL];
    if (typeof detail.execution === 'string') {
      await this.#noteOnExecution(
        namespace,
        detail.execution,
        approval,
        message,
      );
    }
    if (rule) await this.#count(namespace, rule, COUNT_OF_STATE[state]);
  }

  /**
   * Settles what a missed decision left: held runs whose approval was decided while no instance
   * listened, held runs whose approval an interrupted firing did not open, and released runs
   * whose first attempt an interrupted release did not queue.
   */
  async sweep(): Promise<void> {
    const { store, dispatch } = this.options;
    let continueToken: string | undefined;
    do {
      // Runs held for a budget need not come from a rule: every waiting run is looked at.
      const page = await store.list('AgentDispatchRun', {
        fieldFilters: { phase: 'Waiting' },
        limit: 200,
        continueToken,
      });
      for (const run of page.items as AgentDispatchRun[]) {
        if (!HELD_REASONS.includes(run.status?.reason ?? '')) continue;
        const approvals = await this.#approvalsOf(run);
        const labels = run.metadata.labels ?? {};
        if (
          approvals.length === 0 &&
          labels[TRIGGER_RULE_LABEL] &&
          run.status?.reason === AWAITING_APPROVAL
        ) {
          await this.#open(
            labels[TRIGGER_RULE_LABEL],
            run,
            labels[TRIGGER_EXECUTION_LABEL] ?? '',
          );
        }
        if (
          approvals.length === 0 &&
          run.status?.reason === AWAITING_BUDGET_APPROVAL_REASON
        ) {
          await this.#openForBudgets(run);
        }
        for (const approval of approvals) {
          await this.settle(approval);
        }
      }
      continueToken = page.continueToken;
    } while (continueToken);
    const released = await store.list('AgentDispatchRun', {
      fieldFilters: { phase: 'Queued' },
      limit: 200,
    });
    for (const run of released.items as AgentDispatchRun[]) {
      if (run.status?.message?.startsWith('Released by ')) {
        await dispatch.release(
          run,
          AWAITING_APPROVAL,
          TRIGGER_CONTROLLER_ACTOR,
        );
      }
    }
  }

  async #approvalsOf(run: AgentDispatchRun): Promise<AgentApproval[]> {
    const page = await this.options.store.list('AgentApproval', {
      namespace: run.metadata.namespace,
      labelSelector: [
        { key: RUN_LABEL, operator: 'in', values: [run.metadata.name] },
      ],
      limit: 50,
    });
    return (page.items as AgentApproval[]).filter(
      approval => approval.spec.actionClass === 'dispatch',
    );
  }

  async #noteOnExecution(
    namespace: string,
    name: string,
    approval: AgentApproval,
    message: string,
  ) {
    await this.#retryStatus(
      'AgentTriggerExecution',
      namespace,
      name,
      current => {
        const execution = current as AgentTriggerExecution;
        return {
          ...execution.status,
          message,
          approval: {
            name: approval.metadata.name,
            state: approval.status?.state,
            ...(approval.status?.decidedBy
              ? { decidedBy: approval.status.decidedBy }
              : {}),
            ...(approval.status?.reason
              ? { reason: approval.status.reason }
              : {}),
            ...(approval.status?.decisionTime
              ? { decisionTime: approval.status.decisionTime }
              : {}),
          },
        };
      },
    );
  }

  async #count(namespace: string, rule: string, key: string) {
    await this.#retryStatus('AgentTriggerRule', namespace, rule, current => {
      const counts: Record<string, number> = {
        ...(current as AgentTriggerRule).status?.counts,
      };
      counts[key] = (counts[key] ?? 0) + 1;
      return { ...current.status, counts };
    });
  }

  /** A status change written with the read resourceVersion, read again on a conflict. */
  async #retryStatus(
    kind: string,
    namespace: string,
    name: string,
    change: (current: StoredResource) => Record<string, unknown>,
  ) {
    const { store } = this.options;
    for (let attempt = 0; attempt < 10; attempt++) {
      const current = await store.get(kind, namespace, name);
      if (!current) return;
      try {
        await store.updateStatus(
          { ...current, status: change(current) } as StoredResource,
          { actor: TRIGGER_CONTROLLER_ACTOR },
        );
        return;
      } catch (error) {
        if (!isError(error) || error.name !== 'ConflictError') throw error;
      }
    }
  }
}
