import {
  Content,
  Header,
  InfoCard,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { AgentWorkspace } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { ReactNode } from 'react';
import { useParams } from 'react-router-dom';
import { agentsApiRef } from '../../api';
import { useActionAvailability } from '../../hooks/useActionAvailability';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { useLivePolling } from '../../hooks/useLivePolling';
import { isObject } from '../../hooks/useLiveRefresh';
import { formatTime } from '../../lib/format';
import { AgentsNav } from '../AgentsNav';
import { LiveStatus } from '../LiveStatus';
import { ResourceBreadcrumbs } from '../ResourceBreadcrumbs';
import {
  attentionFlags,
  gitSummary,
  ownerOf,
} from '../WorkspacesPage/workspaceFlags';
import { RuntimeSurfaces } from './RuntimeSurfaces';
import { WorkspaceActions } from './WorkspaceActions';
import { WorkspaceNotes } from './WorkspaceNotes';
import { WorkspaceWorkItems } from './WorkspaceWorkItems';

const Row = ({ label, children }: { label: string; children: ReactNode }) => (
  <Box display="flex" py={0.5}>
    <Typography variant="body2" style={{ width: 160, flexShrink: 0 }}>
      <strong>{label}</strong>
    </Typography>
    <Typography variant="body2" component="div">
      {children}
    </Typography>
  </Box>
);

function banner(workspace: AgentWorkspace) {
  const flags = attentionFlags(workspace);
  const git = workspace.status?.git;
  if (flags.includes('missing')) {
    return (
      <Alert severity="error">
        Workspace missing: the record exists but its path is gone. Recover,
        archive or clean it up.
      </Alert>
    );
  }
  if (flags.includes('conflicted')) {
    return (
      <Alert severity="warning">
        Rebase conflicts
        {git?.conflictingFiles?.length
          ? ` in ${git.conflictingFiles.join(', ')}`
          : ''}
        : resolve them, then mark resolved, auto-resolve or abort.
      </Alert>
    );
  }
  return undefined;
}

const RunLinks = ({ runs }: { runs?: string[] }) => {
  const paths = useAgentsPaths();
  if (!runs?.length) return <>none</>;
  return (
    <Box display="flex" flexWrap="wrap" gridGap={8} component="span">
      {runs.map(run => (
        <Link key={run} to={paths.run(run)}>
          {run}
        </Link>
      ))}
    </Box>
  );
};

export interface WorkspaceDetailPageProps {
  pollIntervalMs?: number;
}

/** One workspace: git state, runtime surfaces, notes, linked runs and sessions, lifecycle actions. */
export const WorkspaceDetailPage = ({
  pollIntervalMs = 5000,
}: WorkspaceDetailPageProps) => {
  const agentsApi = useApi(agentsApiRef);
  const paths = useAgentsPaths();
  const { namespace = '', name = '' } = useParams();
  const workspace = useLivePolling(
    () => agentsApi.getWorkspace(namespace, name),
    [agentsApi, namespace, name],
    {
      kinds: ['AgentWorkspace'],
      matches: isObject(namespace, name),
      intervalMs: pollIntervalMs,
    },
  );
  const gates = useActionAvailability(
    () => agentsApi.getWorkspaceActions(namespace, name),
    [agentsApi, namespace, name, JSON.stringify(workspace.value ?? null)],
  );

  let body;
  if (workspace.loading) {
    body = <Progress />;
  } else if (!workspace.value) {
    body = (
      <ResponseErrorPanel
        title={`Could not read workspace ${namespace}/${name}`}
        error={workspace.error!}
      />
    );
  } else {
    const ws = workspace.value;
    const { spec, status = {} } = ws;
    const git = status.git ?? {};
    const surfaces = status.runtimeSurfaces ?? [];
    const last = status.lastAction;
    body = (
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <LiveStatus
            what="the workspace"
            error={workspace.error}
            updatedAt={workspace.updatedAt}
            mode={workspace.mode}
            intervalMs={workspace.intervalMs}
          />
          {banner(ws)}
        </Grid>
        <Grid item xs={12} md={7}>
          <InfoCard title="Workspace">
            <Row label="State">
              <Chip
                size="small"
                label={status.state ?? 'unknown'}
                aria-label={`State ${status.state ?? 'unknown'}`}
              />
              {spec.pinned && (
                <Chip size="small" label="pinned" style={{ marginLeft: 4 }} />
              )}
            </Row>
            <Row label="Repository">
              <Link to={paths.runs({ repository: spec.repository })}>
                {spec.repository}
              </Link>
              {spec.ref ? ` @ ${spec.ref}` : ''}
            </Row>
            <Row label="Owner">{ownerOf(ws)}</Row>
            <Row label="Trust tier">{spec.trustTier}</Row>
            <Row label="Policy">{spec.policy ?? 'the org default'}</Row>
            <Row label="Path">
              <code>{spec.path ?? spec.externalId ?? '—'}</code>
            </Row>
            <Row label="Last activity">
              {formatTime(status.lastActivityTime)}
            </Row>
            <Row label="Active runs">
              <RunLinks runs={status.activeRuns} />
            </Row>
            <Row label="Runs">
              <RunLinks runs={status.runs} />
            </Row>
            <Row label="Active sessions">
              {status.activeSessions?.length
                ? status.activeSessions.join(', ')
                : 'none'}
            </Row>
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={5}>
          <InfoCard title="Git">
            <Row label="Branch">{git.branch ?? spec.branch ?? '—'}</Row>
            <Row label="Head">
              <code>{git.headSha?.slice(0, 12) ?? '—'}</code>
            </Row>
            <Row label="Tracking">{git.trackingBranch ?? '—'}</Row>
            <Row label="Status">{gitSummary(ws)}</Row>
            <Row label="Conflicts">
              {git.conflictingFiles?.length
                ? git.conflictingFiles.join(', ')
                : 'none'}
            </Row>
            {status.editorUrl && (
              <Row label="Editor">
                <Link to={status.editorUrl}>Open in editor</Link>
              </Row>
            )}
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={7}>
          <InfoCard title="Actions">
            <WorkspaceActions
              workspace={ws}
              gates={gates}
              onDone={workspace.refresh}
            />
            {last && (
              <Box mt={2} aria-label="Last action">
                <Typography variant="body2">
                  Last action: <strong>{last.action}</strong> by {last.actor} at{' '}
                  {formatTime(last.time)} — {last.result}
                  {last.message ? `: ${last.message}` : ''}
                </Typography>
              </Box>
            )}
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={5}>
          <InfoCard title="Runtime surfaces">
            <RuntimeSurfaces surfaces={surfaces} />
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={7}>
          <InfoCard title="Linked work items">
            <WorkspaceWorkItems namespace={namespace} workspace={name} />
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={5}>
          <InfoCard title="Notes">
            <WorkspaceNotes
              workspace={ws}
              gates={gates}
              onDone={workspace.refresh}
            />
          </InfoCard>
        </Grid>
      </Grid>
    );
  }

  return (
    <Page themeId="tool">
      <Header
        title={`Workspace ${name}`}
        subtitle={`${namespace} · AgentWorkspace`}
      />
      <AgentsNav />
      <Content>
        <Box mb={2}>
          <ResourceBreadcrumbs
            label="Workspace breadcrumbs"
            list="workspaces"
            namespace={namespace}
            repository={workspace.value?.spec.repository}
            current={name}
          />
        </Box>
        {body}
      </Content>
    </Page>
  );
};
