import { Link } from '@backstage/core-components';
import { AgentDispatchRun } from '@krate/plugin-agents-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { formatCost, formatDuration, formatTime } from '../../lib/format';
import { RunPhaseChip } from '../RunPhaseChip';
import { ColumnHeads } from '../ColumnHeads';

const useStyles = makeStyles({
  // Short values stay on one line; the run and repository columns wrap.
  row: {
    '& td': { whiteSpace: 'nowrap' },
    '& td.wrap': { whiteSpace: 'normal' },
  },
});

const COLUMNS = [
  'Status',
  'Run',
  'Stack',
  'Source',
  'Repository',
  'Runtime',
  'Duration',
  'Cost',
  'Started',
];

function excerpt(text: string, length = 80) {
  const line = text.split('\n')[0];
  return line.length > length ? `${line.slice(0, length)}…` : line;
}

/** Runs as CI-style rows, each linking to its run page. */
export const RunsTable = ({ runs }: { runs: AgentDispatchRun[] }) => {
  const paths = useAgentsPaths();
  const classes = useStyles();
  return (
    <TableContainer>
      <Table size="small" aria-label="Agent runs">
        <ColumnHeads columns={COLUMNS} />
        <TableBody>
          {runs.map(run => {
            const { spec, status = {} } = run;
            return (
              <TableRow
                key={`${run.metadata.namespace}/${run.metadata.name}`}
                className={classes.row}
              >
                <TableCell>
                  <RunPhaseChip phase={status.phase} reason={status.reason} />
                </TableCell>
                <TableCell className="wrap">
                  <Link to={paths.run(run.metadata.name)}>
                    {run.metadata.name}
                  </Link>
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    display="block"
                  >
                    {excerpt(spec.prompt)}
                  </Typography>
                </TableCell>
                <TableCell>
                  <Link to={paths.stack(run.metadata.namespace, spec.stack)}>
                    {spec.stack}
                  </Link>
                </TableCell>
                <TableCell>
                  {spec.source
                    ? `${spec.source.kind}${
                        spec.source.name ? ` ${spec.source.name}` : ''
                      }`
                    : '—'}
                </TableCell>
                <TableCell className="wrap">
                  {spec.repository ?? '—'}
                  {spec.ref && (
                    <Typography variant="caption" display="block">
                      @ {spec.ref}
                    </Typography>
                  )}
                </TableCell>
                <TableCell>{status.runtime ?? '—'}</TableCell>
                <TableCell>
                  {formatDuration(status.startTime, status.completionTime)}
                </TableCell>
                <TableCell>{formatCost(status.cost)}</TableCell>
                <TableCell>
                  {formatTime(
                    status.startTime ?? run.metadata.creationTimestamp,
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
};
