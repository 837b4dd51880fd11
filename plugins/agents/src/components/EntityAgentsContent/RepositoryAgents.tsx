import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { AgentDispatchRun } from '@krate/plugin-agents-common';
import Grid from '@material-ui/core/Grid';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Alert from '@material-ui/lab/Alert';
import { ReactNode, useEffect, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { agentsApiRef } from '../../api';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { useLivePolling } from '../../hooks/useLivePolling';
import { inNamespace } from '../../hooks/useLiveRefresh';
import { DispatchComposer } from '../DispatchComposer';
import { stackBlocker } from '../DispatchComposer/StackPicker';
import { LiveStatus } from '../LiveStatus';
import { RunsTable } from '../RunsPage/RunsTable';
import { WorkspacesTable } from '../WorkspacesPage';
import { EntityMemoryCard } from './EntityMemoryCard';
import { RepositoryWorkItems } from './RepositoryWorkItems';

/** Loading, error and empty states of one polled section, else its content. */
function section<T extends { items: unknown[] }>(
  state: { loading: boolean; value?: T; error?: Error },
  what: string,
  empty: ReactNode,
  render: (value: T) => ReactNode,
) {
  if (state.loading) return <Progress />;
  if (!state.value) {
    return (
      <ResponseErrorPanel
        title={`Could not list ${what}`}
        error={state.error!}
      />
    );
  }
  if (state.value.items.length === 0) return empty;
  return render(state.value);
}

/** The runs, workspaces and stacks of one repository, and a dispatch composer fixed to it. */
export const RepositoryAgents = ({
  org,
  repository,
  entityRef,
  pollIntervalMs,
}: {
  org: string;
  repository: string;
  /** The catalog entity the repository is shown for; its memory records are listed. */
  entityRef?: string;
  pollIntervalMs: number;
}) => {
  const agentsApi = useApi(agentsApiRef);
  const paths = useAgentsPaths();
  const [dispatched, setDispatched] = useState<AgentDispatchRun>();
  const confirmation = useRef<HTMLDivElement>(null);
  // The composer sits below the runs: the confirmation shows under the Dispatch button, and the
  // page scrolls to it should the button have been clicked at the edge of the view.
  useEffect(() => {
    confirmation.current?.scrollIntoView?.({ block: 'nearest' });
  }, [dispatched]);
  const runs = useLivePolling(
    () => agentsApi.listRuns({ namespace: org, repository, limit: 25 }),
    [agentsApi, org, repository],
    {
      kinds: ['AgentDispatchRun'],
      matches: inNamespace(org),
      intervalMs: pollIntervalMs,
    },
  );
  const workspaces = useLivePolling(
    () => agentsApi.listWorkspaces({ namespace: org, repository }),
    [agentsApi, org, repository],
    {
      kinds: ['AgentWorkspace'],
      matches: inNamespace(org),
      intervalMs: pollIntervalMs,
    },
  );
  const stacks = useAsync(
    () => agentsApi.listStacks({ namespace: org, limit: 500 }),
    [agentsApi, org],
  );

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard
          title={`Agent runs of ${repository}`}
          deepLink={{
            title: 'All runs of the repository',
            link: paths.runs({ namespace: org, repository }),
          }}
        >
          {!runs.loading && runs.value && (
            <LiveStatus
              what="runs"
              error={runs.error}
              updatedAt={runs.updatedAt}
              mode={runs.mode}
              intervalMs={runs.intervalMs}
            />
          )}
          {section(
            runs,
            'runs',
            <EmptyState
              missing="data"
              title="No runs on this repository yet"
              description="Dispatch a stack below; the run shows up here."
            />,
            value => (
              <RunsTable runs={value.items} />
            ),
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Dispatch on this repository">
          <DispatchComposer
            embedded
            namespace={org}
            repository={repository}
            onDispatched={run => {
              setDispatched(run);
              runs.refresh();
              workspaces.refresh();
            }}
          />
          {dispatched && (
            <Alert
              ref={confirmation}
              severity="success"
              role="status"
              style={{ marginTop: 16 }}
            >
              Dispatched{' '}
              <Link to={paths.run(dispatched.metadata.name)}>
                {dispatched.metadata.name}
              </Link>
              ; it is listed with the runs above.
            </Alert>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <RepositoryWorkItems
          org={org}
          repository={repository}
          pollIntervalMs={pollIntervalMs}
        />
      </Grid>
      <Grid item xs={12} md={8}>
        <InfoCard
          title="Workspaces"
          deepLink={{ title: 'All workspaces', link: paths.workspaces() }}
        >
          {section(
            workspaces,
            'workspaces',
            <EmptyState
              missing="data"
              title="No workspaces on this repository"
              description="A run on a repository the backend knows gets a workspace; it shows up here."
            />,
            value => (
              <WorkspacesTable workspaces={value.items} />
            ),
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={4}>
        <InfoCard
          title={`Stacks of ${org}`}
          deepLink={{ title: 'Stack registry', link: paths.stacks }}
        >
          {section(
            stacks,
            'stacks',
            <EmptyState
              missing="data"
              title={`${org} has no stacks`}
              description="Apply an AgentStack in this org to dispatch agents here."
            />,
            value => (
              <List dense aria-label={`Stacks of ${org}`}>
                {value.items.map(stack => (
                  <ListItem key={stack.metadata.name}>
                    <ListItemText
                      primary={stack.metadata.name}
                      secondary={`${stack.spec.runtime} · ${
                        stack.status?.readiness ?? 'Unknown'
                      }${
                        stackBlocker(stack) ? ` — ${stackBlocker(stack)}` : ''
                      }`}
                    />
                  </ListItem>
                ))}
              </List>
            ),
          )}
        </InfoCard>
      </Grid>
      {entityRef && (
        <Grid item xs={12}>
          <EntityMemoryCard entityRef={entityRef} repository={repository} />
        </Grid>
      )}
    </Grid>
  );
};
