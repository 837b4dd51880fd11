import { Link } from '@backstage/core-components';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { formatTime } from '../../lib/format';
import { SessionGroup } from '../../lib/sessionGroups';
import { ColumnHeads } from '../ColumnHeads';
import { SessionStateChip } from '../SessionStateChip';

const COLUMNS = [
  'State',
  'Session',
  'Runtime',
  'Stack',
  'Repository',
  'Runs',
  'Last activity',
];

/** Sessions as rows, each linking to its session page and to its runs. */
export const SessionsTable = ({ sessions }: { sessions: SessionGroup[] }) => {
  const paths = useAgentsPaths();
  return (
    <TableContainer>
      <Table size="small" aria-label="Agent sessions">
        <ColumnHeads columns={COLUMNS} />
        <TableBody>
          {sessions.map(session => (
            <TableRow key={`${session.namespace}/${session.name}`}>
              <TableCell>
                <SessionStateChip state={session.state} />
              </TableCell>
              <TableCell>
                <Link to={paths.session(session.namespace, session.name)}>
                  {session.sessionId ?? session.name}
                </Link>
                <Typography
                  variant="caption"
                  color="textSecondary"
                  display="block"
                >
                  {session.namespace} ·{' '}
                  {session.records.length === 1
                    ? '1 attempt'
                    : `${session.records.length} attempts`}
                </Typography>
              </TableCell>
              <TableCell>{session.runtime}</TableCell>
              <TableCell>
                {session.stack ? (
                  <Link to={paths.stack(session.namespace, session.stack)}>
                    {session.stack}
                  </Link>
                ) : (
                  '—'
                )}
              </TableCell>
              <TableCell>{session.repository ?? '—'}</TableCell>
              <TableCell>
                {session.runs.length === 0
                  ? '—'
                  : session.runs.map((run, i) => (
                      <span key={run}>
                        {i > 0 && ', '}
                        <Link to={paths.run(run, session.namespace)}>
                          {run}
                        </Link>
                      </span>
                    ))}
                <Typography
                  variant="caption"
                  color="textSecondary"
                  display="block"
                >
                  {session.runs.length === 1
                    ? '1 run'
                    : `${session.runs.length} runs`}
                </Typography>
              </TableCell>
              <TableCell>{formatTime(session.lastActivity)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
};
