import { Content, Header, Page, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { AgentsChangeSignal } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import { useRef } from 'react';
import { useParams } from 'react-router-dom';
import { agentsApiRef } from '../../api';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { useLivePolling } from '../../hooks/useLivePolling';
import { ofRun } from '../../hooks/useLiveRefresh';
import { AgentsNav } from '../AgentsNav';
import { LiveStatus } from '../LiveStatus';
import { ResourceBreadcrumbs } from '../ResourceBreadcrumbs';
import { ResourceUnavailable } from '../ResourceUnavailable';
import { loadSession } from './loadSession';
import { SessionAttempts } from './SessionAttempts';
import { SessionContinue } from './SessionContinue';
import { SessionSummary } from './SessionSummary';
import { SessionTranscript } from './SessionTranscript';

export interface SessionDetailPageProps {
  /** How often the session is read again without signals, in ms. */
  pollIntervalMs?: number;
}

/**
 * One runtime session: its runtime and session id, stack, repository and state, the attempts
 * that worked in it across runs, their transcript, its workspace and work items, and Continue.
 */
export const SessionDetailPage = ({
  pollIntervalMs = 3000,
}: SessionDetailPageProps) => {
  const { namespace = '', name = '' } = useParams();
  const agentsApi = useApi(agentsApiRef);
  const paths = useAgentsPaths();
  const runsRef = useRef<string[]>([]);
  const session = useLivePolling(
    () => loadSession(agentsApi, namespace, name),
    [agentsApi, namespace, name],
    {
      kinds: ['AgentDispatchRun', 'AgentDispatchAttempt'],
      // Before the first read answers, the session's runs are not known: any run change of the
      // namespace reads again after it, so a run that ends meanwhile is not shown running.
      matches: (signal: AgentsChangeSignal) =>
        signal.namespace === namespace &&
        (runsRef.current.length === 0 ||
          runsRef.current.some(run => ofRun(run)(signal))),
      intervalMs: pollIntervalMs,
    },
  );
  runsRef.current = session.value?.runs.map(r => r.metadata.name) ?? [];

  const header = (
    <Header
      title={name}
      type="Agent session"
      subtitle={
        session.value
          ? `${session.value.record.spec.runtime} session ${
              session.value.record.status?.sessionId ?? '(not bound yet)'
            }`
          : undefined
      }
    />
  );
  if (session.loading) {
    return (
      <Page themeId="tool">
        {header}
        <AgentsNav />
        <Content>
          <Progress />
        </Content>
      </Page>
    );
  }
  if (!session.value) {
    return (
      <Page themeId="tool">
        {header}
        <AgentsNav />
        <Content>
          <ResourceUnavailable
            error={session.error}
            missingTitle={`No session named ${name}`}
            errorTitle="Could not load the session"
            list={{ label: 'All sessions', to: paths.sessions({ namespace }) }}
          />
        </Content>
      </Page>
    );
  }

  const view = session.value;
  const latestRun = view.runs[view.runs.length - 1];
  return (
    <Page themeId="tool">
      {header}
      <AgentsNav />
      <Content>
        <Box
          display="flex"
          alignItems="center"
          flexWrap="wrap"
          mb={2}
          gridGap={16}
        >
          <ResourceBreadcrumbs
            label="Session breadcrumbs"
            list="sessions"
            namespace={namespace}
            repository={view.record.spec.repository}
            current={name}
          />
          <Box flexGrow={1} />
          {latestRun && (
            <SessionContinue run={latestRun} onDone={() => session.refresh()} />
          )}
        </Box>
        <Box mb={1}>
          <LiveStatus
            what="session"
            error={session.error}
            updatedAt={session.updatedAt}
            mode={session.mode}
            intervalMs={session.intervalMs}
          />
        </Box>
        <Grid container spacing={3}>
          <Grid item xs={12} lg={8}>
            <Box display="flex" flexDirection="column" gridGap={24}>
              {view.runs.map(run => (
                <SessionTranscript
                  key={run.metadata.name}
                  run={run}
                  attempts={view.attempts
                    .filter(a => a.spec.run === run.metadata.name)
                    .map(a => a.metadata.name)}
                />
              ))}
            </Box>
          </Grid>
          <Grid item xs={12} lg={4}>
            <Box display="flex" flexDirection="column" gridGap={24}>
              <SessionSummary view={view} />
              <SessionAttempts namespace={namespace} attempts={view.attempts} />
            </Box>
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
};
