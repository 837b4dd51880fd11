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
import { groupSessions } from '../../lib/sessionGroups';
import { AgentsNav } from '../AgentsNav';
import { LiveStatus } from '../LiveStatus';
import { OrgSwitcher } from '../OrgSwitcher';
import {
  SESSION_FILTERS,
  SessionFilters,
  SessionFilterValues,
} from './SessionFilters';
import { SessionsTable } from './SessionsTable';

const PAGE_SIZE = 25;

export interface SessionsPageProps {
  /** How often the list is read again without signals, in ms. */
  pollIntervalMs?: number;
}

/**
 * Runtime sessions, newest activity first: the records of a page grouped by runtime session,
 * with their runtime, stack, repository, runs, last activity and state.
 */
export const SessionsPage = ({ pollIntervalMs = 3000 }: SessionsPageProps) => {
  const agentsApi = useApi(agentsApiRef);
  const paths = useAgentsPaths();
  const [searchParams, setSearchParams] = useSearchParams();
  const filters: SessionFilterValues = Object.fromEntries(
    SESSION_FILTERS.flatMap(key => {
      const value = searchParams.get(key);
      return value ? [[key, value]] : [];
    }),
  );
  const filtersKey = JSON.stringify(filters);
  // Continue tokens of the pages after the first, as the user paged through them.
  const [tokens, setTokens] = useState<string[]>([]);
  useEffect(() => setTokens([]), [filtersKey]);
  const token = tokens[tokens.length - 1];

  const choices = useAsync(async () => {
    const [stacks, runtimes] = await Promise.all([
      agentsApi.listStacks({ limit: 500 }),
      agentsApi.listCapabilities(),
    ]);
    return { stacks: stacks.items, runtimes: runtimes.items };
  }, [agentsApi]);
  // Session records change with their attempts (binding, ending), which are signalled.
  const sessions = useLivePolling(
    async () => {
      const list = await agentsApi.listSessions({
        ...filters,
        limit: PAGE_SIZE,
        continue: token,
      });
      return { ...list, groups: groupSessions(list.items) };
    },
    [agentsApi, filtersKey, token],
    {
      kinds: ['AgentDispatchAttempt', 'AgentDispatchRun'],
      intervalMs: pollIntervalMs,
    },
  );

  const onFilters = (values: SessionFilterValues) => {
    const next = new URLSearchParams();
    for (const key of SESSION_FILTERS) {
      const value = values[key];
      if (value) next.set(key, value);
    }
    setSearchParams(next);
  };

  let body;
  if (sessions.loading) {
    body = <Progress />;
  } else if (!sessions.value) {
    body = (
      <ResponseErrorPanel
        title="Could not list sessions"
        error={sessions.error!}
      />
    );
  } else if (sessions.value.groups.length === 0) {
    body =
      filtersKey === '{}' && !token ? (
        <EmptyState
          missing="data"
          title="No sessions yet"
          description="A run opens a runtime session when its first attempt starts; dispatch a stack to start one."
          action={
            <LinkButton to={paths.newRun()} variant="contained" color="primary">
              New run
            </LinkButton>
          }
        />
      ) : (
        <EmptyState
          missing="data"
          title="No sessions match these filters"
          description="Clear a filter to see more sessions."
        />
      );
  } else {
    body = (
      <Paper>
        <SessionsTable sessions={sessions.value.groups} />
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
            disabled={!sessions.value.continue}
            onClick={() => setTokens([...tokens, sessions.value!.continue!])}
          >
            Older
          </Button>
        </Box>
      </Paper>
    );
  }

  return (
    <Page themeId="tool">
      <Header
        title="Agent sessions"
        subtitle="Runtime sessions of agent runs, their attempts and transcripts"
      />
      <AgentsNav />
      <Content>
        <ContentHeader title="Sessions">
          <OrgSwitcher
            seen={sessions.value?.items.map(s => s.metadata.namespace)}
            resets={['stack']}
          />
        </ContentHeader>
        <SessionFilters
          values={filters}
          stacks={choices.value?.stacks ?? []}
          runtimes={choices.value?.runtimes ?? []}
          onChange={onFilters}
        />
        {!sessions.loading && sessions.value && (
          <Box mb={1}>
            <LiveStatus
              what="sessions"
              error={sessions.error}
              updatedAt={sessions.updatedAt}
              mode={sessions.mode}
              intervalMs={sessions.intervalMs}
            />
          </Box>
        )}
        {body}
      </Content>
    </Page>
  );
};
