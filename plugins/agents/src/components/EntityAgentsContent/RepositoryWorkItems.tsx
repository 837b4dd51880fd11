import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { agentsApiRef } from '../../api';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { useLivePolling } from '../../hooks/useLivePolling';
import { inNamespace } from '../../hooks/useLiveRefresh';
import { ColumnHeads } from '../ColumnHeads';
import { LiveStatus } from '../LiveStatus';
import { RunPhaseChip } from '../RunPhaseChip';
import {
  loadRepositoryWorkItems,
  RepositoryWorkItem,
} from './repositoryWorkItems';

const COLUMNS = [
  'Work item',
  'State',
  'Labels',
  'Runs',
  'Workspaces',
  'Sessions',
];

/** How many runs of one work item the row shows; the rest are on the runs page. */
const RUNS_SHOWN = 5;

const STATE_COLOR: Record<string, 'primary' | 'secondary' | 'default'> = {
  open: 'primary',
  merged: 'secondary',
};

const WorkItemRow = ({
  row: { item, runs, workspaces, sessions },
}: {
  row: RepositoryWorkItem;
}) => {
  const paths = useAgentsPaths();
  const { namespace } = item.metadata;
  const { spec } = item;
  const reference = `${spec.kind === 'pull-request' ? 'PR' : 'Issue'} #${
    spec.number
  }`;
  return (
    <TableRow>
      <TableCell>
        {spec.url ? <Link to={spec.url}>{reference}</Link> : reference}
        <Typography variant="body2">{spec.title}</Typography>
      </TableCell>
      <TableCell>
        <Chip
          size="small"
          label={spec.state}
          color={STATE_COLOR[spec.state] ?? 'default'}
        />
      </TableCell>
      <TableCell>
        {(spec.labels ?? []).map(label => (
          <Chip key={label} size="small" variant="outlined" label={label} />
        ))}
      </TableCell>
      <TableCell>
        {runs.length === 0 && (
          <Typography variant="body2" color="textSecondary">
            No runs
          </Typography>
        )}
        {runs.slice(0, RUNS_SHOWN).map(run => (
          <Box key={run.metadata.name} display="flex" alignItems="center">
            <RunPhaseChip phase={run.status?.phase} />
            <Box ml={1}>
              <Link to={paths.run(run.metadata.name, namespace)}>
                {run.metadata.name}
              </Link>
            </Box>
          </Box>
        ))}
        {runs.length > RUNS_SHOWN && (
          <Typography variant="caption" color="textSecondary">
            and {runs.length - RUNS_SHOWN} earlier
          </Typography>
        )}
      </TableCell>
      <TableCell>
        {workspaces.map(link => (
          <Box key={link.metadata.name}>
            <Link to={paths.workspace(namespace, link.spec.workspace)}>
              {link.spec.workspace}
            </Link>{' '}
            <Typography variant="caption" color="textSecondary">
              {link.spec.relation}
            </Typography>
          </Box>
        ))}
      </TableCell>
      <TableCell>
        {sessions.map(link => (
          <Box key={link.metadata.name}>
            <Link
              to={paths.resource('agentsessions', namespace, link.spec.session)}
            >
              {link.spec.session}
            </Link>
          </Box>
        ))}
      </TableCell>
    </TableRow>
  );
};

/**
 * The issues and pull requests of a repository as webhook deliveries recorded them, each with
 * the runs started from it (latest first) and the workspaces and sessions they worked in.
 */
export const RepositoryWorkItems = ({
  org,
  repository,
  pollIntervalMs,
}: {
  org: string;
  repository: string;
  pollIntervalMs: number;
}) => {
  const agentsApi = useApi(agentsApiRef);
  const state = useLivePolling(
    () => loadRepositoryWorkItems(agentsApi, org, repository),
    [agentsApi, org, repository],
    {
      // Work items are not signalled; their runs are, and polling covers the rest.
      kinds: ['AgentDispatchRun'],
      matches: inNamespace(org),
      intervalMs: pollIntervalMs,
    },
  );
  let content;
  if (state.loading) {
    content = <Progress />;
  } else if (!state.value) {
    content = (
      <ResponseErrorPanel
        title="Could not list work items"
        error={state.error!}
      />
    );
  } else if (state.value.items.length === 0) {
    content = (
      <EmptyState
        missing="data"
        title="No work items on this repository yet"
        description="Issue and pull request webhook deliveries of the repository are recorded here, with the runs started from them."
      />
    );
  } else {
    content = (
      <TableContainer>
        <Table size="small" aria-label="Work items">
          <ColumnHeads columns={COLUMNS} />
          <TableBody>
            {state.value.items.map(row => (
              <WorkItemRow key={row.item.metadata.name} row={row} />
            ))}
          </TableBody>
        </Table>
      </TableContainer>
    );
  }
  return (
    <InfoCard title={`Issues and pull requests of ${repository}`}>
      {!state.loading && state.value && (
        <LiveStatus
          what="work items"
          error={state.error}
          updatedAt={state.updatedAt}
          mode={state.mode}
          intervalMs={state.intervalMs}
        />
      )}
      {content}
    </InfoCard>
  );
};
