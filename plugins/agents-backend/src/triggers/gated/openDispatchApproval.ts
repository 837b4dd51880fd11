import { AgentApproval, AgentDispatchRun } from '@krate/plugin-agents-common';
import { ApprovalService } from '../../approvals/ApprovalService';

/**
 * Opens the `dispatch` AgentApproval a held run waits for (a gated rule's, or a budget's that
 * it would go over); deciding it releases the run or ends it (RunGate).
 */
export function openDispatchApproval(
  approvals: Pick<ApprovalService, 'open'>,
  options: {
    run: AgentDispatchRun;
    requester: string;
    /** Why it is held, e.g. `AgentTriggerRule/triage` or `AgentBudget/daily`. */
    policySource: string;
    detail: Record<string, unknown>;
    approvers?: string[];
    labels?: Record<string, string>;
    /** Whether whoever dispatched it may approve it. */
    requesterMayApprove?: boolean;
  },
): Promise<AgentApproval> {
  const { run } = options;
  return approvals.open({
    namespace: run.metadata.namespace,
    run: run.metadata.name,
    ...(run.spec.repository ? { repository: run.spec.repository } : {}),
    actionClass: 'dispatch',
    target: `run ${run.metadata.name} of stack ${run.spec.stack}`,
    detail: { ...options.detail, prompt: run.spec.prompt },
    requester: options.requester,
    policySource: options.policySource,
    requesterMayApprove: options.requesterMayApprove ?? false,
    approvers: options.approvers,
    ...(options.labels ? { labels: options.labels } : {}),
  });
}
