import {
  AgentApproval,
  AgentDispatchAttempt,
} from '@krate/plugin-agents-common';
import { AgentActionRequest, AgentReattach } from '@krate/plugin-agents-node';
import { decisionOf } from '../approvals/ApprovalService';
import { DispatchParts } from './DispatchParts';

function actionOf(approval: AgentApproval): AgentActionRequest {
  return {
    // An attempt's approvals are of its actions; `dispatch` ones gate runs, never attempts.
    actionClass: approval.spec.actionClass as AgentActionRequest['actionClass'],
    target: approval.spec.target,
    ...(approval.spec.toolName ? { toolName: approval.spec.toolName } : {}),
    ...(approval.spec.interactionId
      ? { interactionId: approval.spec.interactionId }
      : {}),
  };
}

/**
 * What a recovered attempt needs to pick up its runtime's work after a restart: where the
 * stream stopped, the human gates still open and those decided already, and the cost the
 * runtime had reported so far.
 */
export async function reattachmentOf(
  parts: Pick<DispatchParts, 'approvals' | 'events'>,
  attempt: AgentDispatchAttempt,
  cursor: { runtimeRunId: string; lastRuntimeSeq: number },
): Promise<AgentReattach> {
  const { namespace, name } = attempt.metadata;
  const [approvals, lastCost] = await Promise.all([
    parts.approvals.forAttempt(namespace, name),
    parts.events.lastOfType(
      { namespace, run: attempt.spec.run, attempt: name },
      'cost',
    ),
  ]);
  const pendingApprovals: AgentReattach['pendingApprovals'] = [];
  const decidedApprovals: NonNullable<AgentReattach['decidedApprovals']> = [];
  for (const approval of approvals) {
    const decision = decisionOf(approval);
    const entry = {
      approval: approval.metadata.name,
      action: actionOf(approval),
    };
    if (decision) {
      decidedApprovals.push({ ...entry, decision });
    } else {
      pendingApprovals.push(entry);
    }
  }
  return {
    ...cursor,
    pendingApprovals,
    decidedApprovals,
    ...(lastCost?.runTotal ? { lastRunTotal: lastCost.runTotal } : {}),
  };
}
