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
import { DetailRow } from '../DetailRow';

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
            <DetailRow label="State">
              <Chip
                size="small"
                label={status.state ?? 'unknown'}
                aria-label={`State ${status.state ?? 'unknown'}`}
              />
              {spec.pinned && (
                <Chip size="small" label="pinned" style={{ marginLeft: 4 }} />
              )}
            </DetailRow>
            <DetailRow label="Repository">
              <Link to={paths.runs({ repository: spec.repository })}>
                {spec.repository}
              </Link>
              {spec.ref ? ` @ ${spec.ref}` : ''}
            </DetailRow>
            <DetailRow label="Owner">{ownerOf(ws)}</DetailRow>
            <DetailRow label="Trust tier">{spec.trustTier}</DetailRow>
            <DetailRow label="Policy">
              {spec.policy ?? 'the org default'}
            </DetailRow>
            <DetailRow label="Path">
              <code>{spec.path ?? spec.externalId ?? '—'}</code>
            </DetailRow>
            <DetailRow label="Last activity">
              {formatTime(status.lastActivityTime)}
            </DetailRow>
            <DetailRow label="Active runs">
              <RunLinks runs={status.activeRuns} />
            </DetailRow>
            <DetailRow label="Runs">
              <RunLinks runs={status.runs} />
            </DetailRow>
            <DetailRow label="Active sessions">
              {status.activeSessions?.length
                ? status.activeSessions.join(', ')
                : 'none'}
            </DetailRow>
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={5}>
          <InfoCard title="Git">
            <DetailRow label="Branch">
              {git.branch ?? spec.branch ?? '—'}
            </DetailRow>
            <DetailRow label="Head">
              <code>{git.headSha?.slice(0, 12) ?? '—'}</code>
            </DetailRow>
            <DetailRow label="Tracking">{git.trackingBranch ?? '—'}</DetailRow>
            <DetailRow label="Status">{gitSummary(ws)}</DetailRow>
            <DetailRow label="Conflicts">
              {git.conflictingFiles?.length
                ? git.conflictingFiles.join(', ')
                : 'none'}
            </DetailRow>
            {status.editorUrl && (
              <DetailRow label="Editor">
                <Link to={status.editorUrl}>Open in editor</Link>
              </DetailRow>
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
