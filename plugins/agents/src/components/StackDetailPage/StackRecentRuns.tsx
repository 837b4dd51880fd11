import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { agentsApiRef } from '../../api';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { useLivePolling } from '../../hooks/useLivePolling';
import { inNamespace } from '../../hooks/useLiveRefresh';
import { LiveStatus } from '../LiveStatus';
import { RunsTable } from '../RunsPage/RunsTable';

const RECENT = 10;

export interface StackRecentRunsProps {
  namespace: string;
  stack: string;
  pollIntervalMs?: number;
}

/** The stack's latest runs, through the indexed `stack` filter of `GET /runs`. */
export const StackRecentRuns = ({
  namespace,
  stack,
  pollIntervalMs,
}: StackRecentRunsProps) => {
  const agentsApi = useApi(agentsApiRef);
  const paths = useAgentsPaths();
  const runs = useLivePolling(
    () => agentsApi.listRuns({ namespace, stack, limit: RECENT }),
    [agentsApi, namespace, stack],
    {
      kinds: ['AgentDispatchRun'],
      matches: inNamespace(namespace),
      intervalMs: pollIntervalMs,
    },
  );

  let body;
  if (runs.loading) {
    body = <Progress />;
  } else if (!runs.value) {
    body = (
      <ResponseErrorPanel
        title="Could not list the stack's runs"
        error={runs.error!}
      />
    );
  } else if (runs.value.items.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title="No runs of this stack yet"
        description="Dispatch it; its runs show up here."
      />
    );
  } else {
    body = (
      <>
        <LiveStatus
          what="runs"
          error={runs.error}
          updatedAt={runs.updatedAt}
          mode={runs.mode}
          intervalMs={runs.intervalMs}
        />
        <RunsTable runs={runs.value.items} />
      </>
    );
  }
  return (
    <InfoCard
      title="Recent runs"
      deepLink={{
        title: 'All runs of this stack',
        link: paths.runs({ namespace, stack }),
      }}
    >
      {body}
    </InfoCard>
  );
};
