import {
  AgentTriggerExecution,
  AuditRecord,
  TRIGGER_RULE_LABEL,
} from '@krate/plugin-agents-common';
import { AgentsApi } from '../../api';

/** How many records of each object the trail reads: a run writes about ten status updates. */
export const RECORDS_PER_OBJECT = 100;
/** How many of the rule's newest executions are searched for the ones that led to the run. */
const EXECUTIONS_SEARCHED = 100;

export type AuditTarget = AuditRecord['target'];

/** The run the trail is about, and the trigger rule that dispatched it, if any. */
export interface RunRef {
  namespace: string;
  name: string;
  rule?: string;
}

export interface RunAuditTrailData {
  /** The org's chain order, which is the order things happened in. */
  records: AuditRecord[];
  /** Objects whose records could not be read (e.g. no read permission on their kind). */
  unreadable: { target: AuditTarget; error: unknown }[];
}

/**
 * The objects of a run's story: the trigger executions that dispatched (or joined) it, the run,
 * its approvals and its review artifacts, whose records include their write-backs.
 */
export async function runAuditTargets(
  api: Pick<AgentsApi, 'listResources' | 'listApprovals' | 'listArtifacts'>,
  { namespace, name, rule }: RunRef,
): Promise<AuditTarget[]> {
  const [executions, approvals, artifacts] = await Promise.all([
    rule
      ? api
          .listResources('agenttriggerexecutions', {
            namespace,
            labelSelector: `${TRIGGER_RULE_LABEL}=${rule}`,
            limit: EXECUTIONS_SEARCHED,
          })
          .then(page =>
            (page.items as unknown as AgentTriggerExecution[]).filter(
              execution => execution.status?.run === name,
            ),
          )
      : [],
    api
      .listApprovals({
        namespace,
        labelSelector: `agents.krate.dev/run=${name}`,
      })
      .then(page => page.items),
    api.listArtifacts(namespace, name).then(page => page.items),
  ]);
  const target = (kind: string, objectName: string) => ({
    kind,
    namespace,
    name: objectName,
  });
  return [
    ...executions.map(e => target('AgentTriggerExecution', e.metadata.name)),
    target('AgentDispatchRun', name),
    ...approvals.map(a => target('AgentApproval', a.metadata.name)),
    ...artifacts.map(a => target('AgentReviewArtifact', a.metadata.name)),
  ];
}

/** The audit records of the run and its related objects, oldest first. */
export async function loadRunAuditTrail(
  api: Pick<
    AgentsApi,
    'listResources' | 'listApprovals' | 'listArtifacts' | 'listAuditRecords'
  >,
  run: RunRef,
): Promise<RunAuditTrailData> {
  const targets = await runAuditTargets(api, run);
  const pages = await Promise.allSettled(
    targets.map(target =>
      api.listAuditRecords(target, { limit: RECORDS_PER_OBJECT }),
    ),
  );
  const records = new Map<string, AuditRecord>();
  const unreadable: RunAuditTrailData['unreadable'] = [];
  pages.forEach((page, i) => {
    if (page.status === 'rejected') {
      unreadable.push({ target: targets[i], error: page.reason });
      return;
    }
    for (const record of page.value.items) records.set(record.id, record);
  });
  return {
    records: [...records.values()].sort(inChainOrder),
    unreadable,
  };
}

const UNSEALED = Number.MAX_SAFE_INTEGER;

/** By seq; records not sealed into the chain yet come last, in the order they were written. */
function inChainOrder(a: AuditRecord, b: AuditRecord): number {
  return (
    (a.seq ?? UNSEALED) - (b.seq ?? UNSEALED) || Number(a.id) - Number(b.id)
  );
}
