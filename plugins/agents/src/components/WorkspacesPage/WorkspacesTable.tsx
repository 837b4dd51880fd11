import { Link } from '@backstage/core-components';
import { AgentWorkspace } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableRow from '@material-ui/core/TableRow';
import { makeStyles } from '@material-ui/core/styles';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { formatTime } from '../../lib/format';
import { attentionFlags, gitSummary, ownerOf } from './workspaceFlags';
import { ColumnHeads } from '../ColumnHeads';

const useStyles = makeStyles({
  // The theme lets cells break anywhere; short values (state, git, times) stay whole.
  short: { whiteSpace: 'nowrap' },
});

const COLUMNS = [
  'Workspace',
  'Repository',
  'State',
  'Owner',
  'Branch',
  'Git',
  'Last activity',
  'Trust tier',
];

/** Workspaces as rows linking to their pages, with what needs attention flagged. */
export const WorkspacesTable = ({
  workspaces,
}: {
  workspaces: AgentWorkspace[];
}) => {
  const paths = useAgentsPaths();
  const classes = useStyles();
  return (
    <TableContainer>
      <Table size="small" aria-label="Agent workspaces">
        <ColumnHeads columns={COLUMNS} />
        <TableBody>
          {workspaces.map(workspace => {
            const { metadata, spec, status = {} } = workspace;
            return (
              <TableRow key={`${metadata.namespace}/${metadata.name}`}>
                <TableCell>
                  <Link to={paths.workspace(metadata.namespace, metadata.name)}>
                    {metadata.name}
                  </Link>
                  {spec.pinned && (
                    <Chip
                      size="small"
                      label="pinned"
                      style={{ marginLeft: 4 }}
                    />
                  )}
                </TableCell>
                <TableCell>{spec.repository}</TableCell>
                <TableCell className={classes.short}>
                  <Box display="flex" gridGap={4} flexWrap="wrap">
                    <Chip
                      size="small"
                      label={status.state ?? 'unknown'}
                      aria-label={`State ${status.state ?? 'unknown'}`}
                    />
                    {attentionFlags(workspace)
                      .filter(flag => flag !== status.state)
                      .map(flag => (
                        <Chip
                          key={flag}
                          size="small"
                          color="secondary"
                          label={flag}
                        />
                      ))}
                  </Box>
                </TableCell>
                <TableCell>{ownerOf(workspace)}</TableCell>
                <TableCell>
                  {status.git?.branch ?? spec.branch ?? '—'}
                </TableCell>
                <TableCell className={classes.short}>
                  {gitSummary(workspace)}
                </TableCell>
                <TableCell className={classes.short}>
                  {formatTime(
                    status.lastActivityTime ?? metadata.creationTimestamp,
                  )}
                </TableCell>
                <TableCell className={classes.short}>
                  {spec.trustTier}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
};
