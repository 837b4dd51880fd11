import { IndexableDocument } from '@backstage/plugin-search-common';
import {
  AGENTS_PAGES_PATH,
  AgentsObject,
  agentsObjectPath,
} from '@krate/plugin-agents-common';
import { withoutUndefined } from './withoutUndefined';

/** An approval, pending or decided, as search indexes it. @public */
export interface AgentsApprovalSearchDocument extends IndexableDocument {
  kind: 'AgentApproval';
  namespace: string;
  name: string;
  state: string;
  actionClass: string;
  repository?: string;
  run?: string;
  /** The page of the run that asked, where the approval is decided next to what it gates. */
  runLocation?: string;
  createdAt?: string;
}

export function approvalSearchDocument(
  approval: AgentsObject,
): AgentsApprovalSearchDocument {
  const { namespace, name, creationTimestamp } = approval.metadata;
  const spec = approval.spec as {
    actionClass: string;
    target: string;
    toolName?: string;
    requester: string;
    repository?: string;
    run?: string;
    policySource: string;
  };
  const status = (approval.status ?? {}) as {
    state?: string;
    decidedBy?: string;
    reason?: string;
  };
  const state = status.state ?? 'pending';
  return withoutUndefined({
    title: `${spec.toolName ?? spec.actionClass}: ${spec.target}`,
    text: [
      `${spec.actionClass} approval, ${state}`,
      `requested by ${spec.requester}`,
      spec.repository && `repository ${spec.repository}`,
      `required by ${spec.policySource}`,
      status.decidedBy && `decided by ${status.decidedBy}`,
      status.reason,
    ]
      .filter(Boolean)
      .join(' · '),
    location: `${AGENTS_PAGES_PATH}/${agentsObjectPath(
      'AgentApproval',
      namespace,
      name,
    )}`,
    kind: 'AgentApproval',
    namespace,
    name,
    state,
    actionClass: spec.actionClass,
    repository: spec.repository,
    run: spec.run,
    runLocation: spec.run
      ? `${AGENTS_PAGES_PATH}/${agentsObjectPath(
          'AgentDispatchRun',
          namespace,
          spec.run,
        )}`
      : undefined,
    createdAt: creationTimestamp,
    authorization: { resourceRef: `AgentApproval:${namespace}/${name}` },
  });
}
