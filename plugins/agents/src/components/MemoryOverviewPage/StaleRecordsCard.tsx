import { InfoCard, Link } from '@backstage/core-components';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { StaleMemoryRecord } from '../../api';
import { useMemoryLinks } from '../../hooks/useMemoryLinks';
import { shortSha } from '../../lib/commitText';
import { formatTime } from '../../lib/format';
import { ColumnHeads } from '../ColumnHeads';

/**
 * Records whose sources changed after their last review. They stay in the memory: staleness is
 * shown for a person to review, never acted on silently.
 */
export const StaleRecordsCard = ({
  org,
  stale,
}: {
  org: string;
  stale?: StaleMemoryRecord[];
}) => {
  const links = useMemoryLinks(org);
  let body;
  if (!stale) {
    body = 'This backend does not report stale records.';
  } else if (stale.length === 0) {
    body = (
      <Typography variant="body2" color="textSecondary">
        No stale records: no record’s sources changed after its review.
      </Typography>
    );
  } else {
    body = (
      <Table size="small" aria-label="Stale records">
        <ColumnHeads columns={['Record', 'Reviewed', 'Source', 'Changed']} />
        <TableBody>
          {stale.map(record => (
            <TableRow key={`${record.id}/${record.source}`}>
              <TableCell>
                <Link to={links.record(record.id)}>{record.id}</Link>
              </TableCell>
              <TableCell>{record.reviewed}</TableCell>
              <TableCell>
                <code>{record.source}</code>
              </TableCell>
              <TableCell>
                {formatTime(record.changedAt)} in{' '}
                <code title={record.changeCommit}>
                  {shortSha(record.changeCommit)}
                </code>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    );
  }
  return (
    <InfoCard
      title={`Stale records${stale?.length ? ` (${stale.length})` : ''}`}
    >
      {body}
    </InfoCard>
  );
};
