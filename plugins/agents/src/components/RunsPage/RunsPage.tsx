import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  LinkButton,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { agentsApiRef } from '../../api';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { useLivePolling } from '../../hooks/useLivePolling';
import { AgentsNav } from '../AgentsNav';
import { LiveStatus } from '../LiveStatus';
import { OrgSwitcher } from '../OrgSwitcher';
import { RUN_FILTERS, RunFilters, RunFilterValues } from './RunFilters';
import { RunsTable } from './RunsTable';

const PAGE_SIZE = 25;

export interface RunsPageProps {
  /** How often the list is read again, in ms. */
  pollIntervalMs?: number;
}

/** Every AgentDispatchRun, newest first, shaped like a list of pipeline runs. */
export const RunsPage = ({ pollIntervalMs = 3000 }: RunsPageProps) => {
  const agentsApi = useApi(agentsApiRef);
  const paths = useAgentsPaths();
  const [searchParams, setSearchParams] = useSearchParams();
  const filters: RunFilterValues = Object.fromEntries(
    RUN_FILTERS.flatMap(key => {
      const value = searchParams.get(key);
      return value ? [[key, value]] : [];
    }),
  );
  const filtersKey = JSON.stringify(filters);
  // Continue tokens of the pages after the first, as the user paged through them.
  const [tokens, setTokens] = useState<string[]>([]);
  useEffect(() => setTokens([]), [filtersKey]);
  const token = tokens[tokens.length - 1];

  const stacks = useAsync(
    () => agentsApi.listStacks({ limit: 500 }),
    [agentsApi],
  );
  const runs = useLivePolling(
    () => agentsApi.listRuns({ ...filters, limit: PAGE_SIZE, continue: token }),
    [agentsApi, filtersKey, token],
    { kinds: ['AgentDispatchRun'], intervalMs: pollIntervalMs },
  );

  const onFilters = (values: RunFilterValues) => {
    const next = new URLSearchParams();
    for (const key of RUN_FILTERS) {
      const value = values[key];
      if (value) next.set(key, value);
    }
    setSearchParams(next);
  };

  let body;
  if (runs.loading) {
    body = <Progress />;
  } else if (!runs.value) {
    body = (
      <ResponseErrorPanel title="Could not list runs" error={runs.error!} />
    );
  } else if (runs.value.items.length === 0) {
    body =
      filtersKey === '{}' && !token ? (
        <EmptyState
          missing="data"
          title="No runs yet"
          description="Dispatch a stack to start an agent run; it shows up here like a pipeline run."
          action={
            <LinkButton to={paths.newRun()} variant="contained" color="primary">
              New run
            </LinkButton>
          }
        />
      ) : (
        <EmptyState
          missing="data"
          title="No runs match these filters"
          description="Clear a filter to see more runs."
        />
      );
  } else {
    body = (
      <Paper>
        <RunsTable runs={runs.value.items} />
        <Box display="flex" alignItems="center" justifyContent="flex-end" p={1}>
          <Typography variant="caption" style={{ marginRight: 16 }}>
            Page {tokens.length + 1}
          </Typography>
          <Button
            size="small"
            disabled={tokens.length === 0}
            onClick={() => setTokens(tokens.slice(0, -1))}
          >
            Newer
          </Button>
          <Button
            size="small"
            disabled={!runs.value.continue}
            onClick={() => setTokens([...tokens, runs.value!.continue!])}
          >
            Older
          </Button>
        </Box>
      </Paper>
    );
  }

  return (
    <Page themeId="tool">
      <Header title="Agent runs" subtitle="Dispatches of agent stacks, live" />
      <AgentsNav />
      <Content>
        <ContentHeader title="Runs">
          <OrgSwitcher
            seen={runs.value?.items.map(r => r.metadata.namespace)}
            resets={['stack']}
          />
          <LinkButton
            to={paths.newRun(
              filters.namespace ? { namespace: filters.namespace } : {},
            )}
            variant="contained"
            color="primary"
          >
            New run
          </LinkButton>
        </ContentHeader>
        <RunFilters
          values={filters}
          stacks={stacks.value?.items ?? []}
          onChange={onFilters}
        />
        {!runs.loading && runs.value && (
          <Box mb={1}>
            <LiveStatus
              what="runs"
              error={runs.error}
              updatedAt={runs.updatedAt}
              mode={runs.mode}
              intervalMs={runs.intervalMs}
            />
          </Box>
        )}
        {body}
      </Content>
    </Page>
  );
};
