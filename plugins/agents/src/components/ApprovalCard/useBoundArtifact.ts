import { useApi } from '@backstage/core-plugin-api';
import {
  AgentApproval,
  AgentReviewArtifact,
} from '@krate/plugin-agents-common';
import { useEffect } from 'react';
import { agentsApiRef } from '../../api';
import { useLivePolling } from '../../hooks/useLivePolling';
import { isObject } from '../../hooks/useLiveRefresh';

/**
 * The artifact a write-back approval is bound to, read again when the backend signals a change
 * to it or the approval moves on; nothing for other approvals.
 */
export function useBoundArtifact(approval: AgentApproval) {
  const agentsApi = useApi(agentsApiRef);
  const { namespace } = approval.metadata;
  const artifact = approval.spec.binding?.artifact;
  const read = useLivePolling(
    async () =>
      artifact
        ? ((await agentsApi.getResource(
            'agentreviewartifacts',
            namespace,
            artifact,
          )) as unknown as AgentReviewArtifact)
        : undefined,
    [agentsApi, namespace, artifact],
    {
      kinds: ['AgentReviewArtifact'],
      matches: isObject(namespace, artifact ?? ''),
    },
  );
  const { refresh } = read;
  const version = `${approval.metadata.resourceVersion}/${approval.status?.state}`;
  useEffect(() => {
    if (artifact) refresh();
  }, [refresh, artifact, version]);
  return read;
}
