import { AgentDispatchAttempt } from '@krate/plugin-agents-common';
import { AgentReattach } from '@krate/plugin-agents-node';
import { DispatchParts } from './DispatchParts';

/**
 * What a recovered attempt needs to pick up its runtime's work after a restart: where the
 * stream stopped, the human gates still open, and the cost the runtime had reported so far.
 */
export async function reattachmentOf(
  parts: Pick<DispatchParts, 'approvals' | 'events'>,
  attempt: AgentDispatchAttempt,
  cursor: { runtimeRunId: string; lastRuntimeSeq: number },
): Promise<AgentReattach> {
  const { namespace, name } = attempt.metadata;
  const [pending, lastCost] = await Promise.all([
    parts.approvals.pendingForAttempt(namespace, name),
    parts.events.lastOfType(
      { namespace, run: attempt.spec.run, attempt: name },
      'cost',
    ),
  ]);
  return {
    ...cursor,
    pendingApprovals: pending.map(approval => ({
      approval: approval.metadata.name,
      action: {
        actionClass: approval.spec.actionClass,
        target: approval.spec.target,
        ...(approval.spec.toolName ? { toolName: approval.spec.toolName } : {}),
      },
    })),
    ...(lastCost?.runTotal ? { lastRunTotal: lastCost.runTotal } : {}),
  };
}
