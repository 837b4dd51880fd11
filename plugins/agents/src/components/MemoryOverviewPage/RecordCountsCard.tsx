import { InfoCard, Link } from '@backstage/core-components';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import { MemoryStatus } from '../../api';
import { useMemoryLinks } from '../../hooks/useMemoryLinks';
import { ColumnHeads } from '../ColumnHeads';

/** How many records of each kind there are, each kind opening the graph filtered to it. */
export const RecordCountsCard = ({ status }: { status: MemoryStatus }) => {
  const links = useMemoryLinks(status.org);
  const kinds = Object.entries(status.recordsByKind).sort(([a], [b]) =>
    a.localeCompare(b),
  );
  return (
    <InfoCard title={`Records (${status.records})`}>
      <Table size="small" aria-label="Records by kind">
        <ColumnHeads columns={['Kind', 'Records']} />
        <TableBody>
          {kinds.map(([kind, count]) => (
            <TableRow key={kind}>
              <TableCell>
                <Link to={links.graph({ kind })}>{kind}</Link>
              </TableCell>
              <TableCell>{count}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </InfoCard>
  );
};
