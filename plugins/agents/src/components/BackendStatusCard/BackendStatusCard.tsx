import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { agentsApiRef } from '../../api';

const dialectNames = { sqlite: 'SQLite', postgres: 'PostgreSQL' } as const;

/**
 * Shows whether the agents backend answers, its version, its storage and, in Kubernetes mode,
 * whether its cluster serves.
 */
export const BackendStatusCard = () => {
  const agentsApi = useApi(agentsApiRef);
  const { value, loading, error } = useAsyncRetry(
    () => agentsApi.getHealth(),
    [agentsApi],
  );

  if (loading) {
    return <Progress />;
  }
  if (error) {
    return (
      <ResponseErrorPanel
        title="The agents backend is unreachable"
        error={error}
      />
    );
  }
  return (
    <InfoCard title="Agents backend">
      <StructuredMetadataTable
        metadata={{
          status: value!.status,
          version: value!.version,
          storage: dialectNames[value!.storage.dialect],
          ...(value!.kubernetes
            ? {
                kubernetes: `${value!.kubernetes.status}: ${
                  value!.kubernetes.message
                }`,
              }
            : {}),
        }}
      />
    </InfoCard>
  );
};
