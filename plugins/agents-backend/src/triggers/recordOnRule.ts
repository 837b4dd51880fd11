import { isError } from '@backstage/errors';
import {
  AgentTriggerRule,
  TriggerDryRunResult,
  TriggerOutcome,
} from '@krate/plugin-agents-common';
import { ResourceStore, StoredResource } from '../resources/ResourceStore';

const COUNT_OF: Record<TriggerOutcome, string> = {
  dispatched: 'dispatched',
  coalesced: 'coalesced',
  rejected: 'rejected',
  'not-matched': 'notMatched',
  skipped: 'skipped',
  'awaiting-approval': 'awaitingApproval',
};

export interface RuleExecutionNote {
  execution: string;
  outcome: TriggerOutcome;
  run?: string;
  reason?: string;
  policyPreview: TriggerDryRunResult['policyPreview'];
  actor: string;
  /** How much the outcome's count grows: the slots a skip execution stands for; default 1. */
  count?: number;
}

/**
 * Counts an execution on its rule and makes it the rule's last execution. The status is
 * written with the read resourceVersion as precondition and read again when someone else wrote
 * in between, so concurrent deliveries never lose a count.
 */
export async function recordOnRule(
  store: ResourceStore,
  rule: AgentTriggerRule,
  note: RuleExecutionNote,
): Promise<void> {
  const { namespace, name } = rule.metadata;
  for (let attempt = 0; attempt < 10; attempt++) {
    const current = (await store.get('AgentTriggerRule', namespace, name)) as
      | AgentTriggerRule
      | undefined;
    if (!current) return;
    const counts: Record<string, number> = { ...current.status?.counts };
    const key = COUNT_OF[note.outcome];
    counts[key] = (counts[key] ?? 0) + (note.count ?? 1);
    const status = {
      ...current.status,
      lastExecution: {
        time: new Date().toISOString(),
        execution: note.execution,
        outcome: note.outcome,
        ...(note.run ? { run: note.run } : {}),
        ...(note.reason ? { reason: note.reason } : {}),
      },
      counts,
      policyPreview: note.policyPreview,
    };
    try {
      await store.updateStatus({ ...current, status } as StoredResource, {
        actor: note.actor,
      });
      return;
    } catch (error) {
      if (!isError(error) || error.name !== 'ConflictError') throw error;
    }
  }
  throw new Error(
    `AgentTriggerRule ${namespace}/${name} kept changing; its counts miss execution ${note.execution}`,
  );
}
