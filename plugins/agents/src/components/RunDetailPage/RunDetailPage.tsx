import { Content, Header, Page, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  AgentDispatchAttempt,
  AgentDispatchRun,
  AgentSession,
} from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import { useEffect, useRef, useState } from 'react';
import { useParams } from 'react-router-dom';
import { agentsApiRef } from '../../api';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { useLivePolling } from '../../hooks/useLivePolling';
import { ofRun } from '../../hooks/useLiveRefresh';
import { useRunEvents } from '../../hooks/useRunEvents';
import { isTerminal } from '../../lib/format';
import { statusOf } from '../../lib/serverMessage';
import { AgentsNav } from '../AgentsNav';
import { AttemptsTimeline } from '../AttemptsTimeline';
import { ExecutionContextPanel } from '../ExecutionContextPanel';
import { LiveStatus } from '../LiveStatus';
import { RunActions } from '../RunActions';
import { RunApprovalsPanel } from '../RunApprovalsPanel';
import { ResourceBreadcrumbs } from '../ResourceBreadcrumbs';
import { ResourceUnavailable } from '../ResourceUnavailable';
import { RunArtifacts } from '../RunArtifacts';
import { RunAuditTrail } from '../RunAuditTrail';
import { RunMemoryCard } from '../RunMemoryCard';
import { RunReviewState } from '../RunReviewState';
import { RunTranscript } from '../RunTranscript';
import { RunWorkspaceState } from '../RunWorkspaceState';
import { RunSummary } from './RunSummary';

export interface RunDetailPageProps {
  /** How often the run is read again while it is active, in ms. */
  pollIntervalMs?: number;
}

/** Events after which the run's status or approvals have probably changed. */
const STATUS_EVENTS = new Set([
  'attempt_phase',
  'approval_requested',
  'approval_decided',
  'session_started',
  'session_ended',
]);

const phaseOf = (run?: AgentDispatchRun) => run?.status?.phase;

/**
 * One run: its status and breadcrumbs, the live transcript, artifacts, attempts, approvals,
 * execution context and audit trail, and the actions it allows.
 */
export const RunDetailPage = ({
  pollIntervalMs = 2000,
}: RunDetailPageProps) => {
  const { name = '' } = useParams();
  const runValue = useRef<AgentDispatchRun>();
  const agentsApi = useApi(agentsApiRef);
  const paths = useAgentsPaths();

  const run = useLivePolling(() => agentsApi.getRun(name), [agentsApi, name], {
    kinds: ['AgentDispatchRun', 'AgentDispatchAttempt'],
    matches: ofRun(name),
    // Quickly while active, slowly once finished (someone may still retry it).
    intervalMs: isTerminal(phaseOf(runValue.current))
      ? pollIntervalMs * 5
      : pollIntervalMs,
  });
  runValue.current = run.value;
  const phase = run.value?.status?.phase;
  const finished = isTerminal(phase);
  const namespace = run.value?.metadata.namespace;
  const currentAttempt = run.value?.status?.currentAttempt;
  const reason = run.value?.status?.reason;

  const related = useLivePolling(
    async () => {
      if (!namespace) return undefined;
      const [attempts, session] = await Promise.all([
        agentsApi.listResources('agentdispatchattempts', {
          namespace,
          labelSelector: `agents.krate.dev/run=${name}`,
        }),
        currentAttempt
          ? agentsApi
              .getResource(
                'agentsessions',
                namespace,
                `${currentAttempt}-session`,
              )
              .catch(error => {
                if (statusOf(error) === 404) return undefined;
                throw error;
              })
          : undefined,
      ]);
      return {
        attempts: attempts.items as unknown as AgentDispatchAttempt[],
        session: session as unknown as AgentSession | undefined,
      };
    },
    [agentsApi, name, namespace],
    { kinds: ['AgentDispatchAttempt'], matches: ofRun(name) },
  );
  const refreshRelated = related.refresh;
  useEffect(() => {
    refreshRelated();
  }, [refreshRelated, currentAttempt, phase, reason]);

  // Run names are unique across orgs, so the stream can start before the run is loaded.
  const events = useRunEvents(name, { finished });
  const lastEvent = events.events[events.events.length - 1];

  // A retry, resume, fork or continue (here or elsewhere) starts a new attempt: follow it.
  const { connection, reconnect } = events;
  const lastAttempt = lastEvent?.attempt;
  useEffect(() => {
    if (
      connection === 'complete' &&
      currentAttempt &&
      lastAttempt &&
      lastAttempt !== currentAttempt
    ) {
      reconnect();
    }
  }, [connection, reconnect, currentAttempt, lastAttempt]);

  // The transcript is the fastest signal: read the run as soon as it reports a change.
  const statusSignal = events.events.filter(e =>
    STATUS_EVENTS.has(e.type),
  ).length;
  const refreshRun = run.refresh;
  useEffect(() => {
    if (statusSignal > 0) refreshRun();
  }, [statusSignal, refreshRun]);
  useEffect(() => {
    if (connection === 'complete') refreshRun();
  }, [connection, refreshRun]);

  // A new artifact event or phase: the artifacts panel reads the recorded artifacts again.
  const artifactSignal = `${
    events.events.filter(e => e.type === 'artifact').length
  }/${phase}`;
  // A write-back request may have asked for an approval the approvals panel has not seen.
  const [writeBackRequests, setWriteBackRequests] = useState(0);

  if (run.loading) {
    return (
      <Page themeId="tool">
        <Header title={name} type="Agent run" />
        <AgentsNav />
        <Content>
          <Progress />
        </Content>
      </Page>
    );
  }
  if (!run.value) {
    return (
      <Page themeId="tool">
        <Header title={name} type="Agent run" />
        <AgentsNav />
        <Content>
          <ResourceUnavailable
            error={run.error}
            missingTitle={`No run named ${name}`}
            errorTitle="Could not load the run"
            list={{ label: 'All runs', to: paths.runs() }}
          />
        </Content>
      </Page>
    );
  }

  const current = run.value;
  const attempts = related.value?.attempts ?? [];
  // A run without a named workspace may still get one per attempt.
  const workspace =
    current.spec.workspace ??
    attempts.find(a => a.metadata.name === currentAttempt)?.spec.workspace;
  return (
    <Page themeId="tool">
      <Header
        title={name}
        type="Agent run"
        subtitle={current.spec.prompt.split('\n')[0]}
      />
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
            label="Run breadcrumbs"
            list="runs"
            namespace={current.metadata.namespace}
            repository={current.spec.repository}
            current={name}
          />
          <Box flexGrow={1} />
          <RunActions
            run={current}
            onDone={() => {
              run.refresh();
              related.refresh();
            }}
          />
        </Box>
        <Box mb={1}>
          <LiveStatus
            what="run status"
            error={run.error}
            updatedAt={run.updatedAt}
            mode={run.mode}
            intervalMs={run.intervalMs}
          />
        </Box>
        <RunReviewState run={current} />
        {workspace && (
          <Box mb={2}>
            <RunWorkspaceState
              namespace={current.metadata.namespace}
              workspace={workspace}
              pollIntervalMs={finished ? undefined : pollIntervalMs * 5}
            />
          </Box>
        )}
        <Grid container spacing={3}>
          <Grid item xs={12} lg={8}>
            <Box display="flex" flexDirection="column" gridGap={24}>
              <RunTranscript state={events} />
              <RunArtifacts
                run={name}
                namespace={current.metadata.namespace}
                pollIntervalMs={
                  finished ? pollIntervalMs * 5 : pollIntervalMs * 2
                }
                refreshKey={artifactSignal}
                onWriteBackRequested={() => setWriteBackRequests(n => n + 1)}
              />
              {current.spec.memorySnapshot && <RunMemoryCard run={current} />}
            </Box>
          </Grid>
          <Grid item xs={12} lg={4}>
            <Box display="flex" flexDirection="column" gridGap={24}>
              <RunSummary
                run={current}
                session={related.value?.session}
                workspace={workspace}
              />
              <RunApprovalsPanel
                run={name}
                namespace={current.metadata.namespace}
                pollIntervalMs={finished ? undefined : pollIntervalMs * 2}
                refreshKey={`${statusSignal}/${writeBackRequests}`}
                onDecided={() => run.refresh()}
              />
              <AttemptsTimeline
                attempts={attempts}
                currentAttempt={currentAttempt}
              />
              <ExecutionContextPanel
                namespace={current.metadata.namespace}
                attempts={attempts}
                currentAttempt={currentAttempt}
              />
              <RunAuditTrail
                run={current}
                refreshKey={`${statusSignal}/${artifactSignal}/${writeBackRequests}`}
              />
            </Box>
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
};
