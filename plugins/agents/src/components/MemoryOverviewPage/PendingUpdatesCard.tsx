import { InfoCard, Link } from '@backstage/core-components';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import { PendingMemoryUpdates } from '../../api';
import { ColumnHeads } from '../ColumnHeads';
import { useMemoryUpdatePaths } from '../MemoryUpdatesPage';

const PHASES: { key: keyof PendingMemoryUpdates; phase: string }[] = [
  { key: 'proposed', phase: 'Proposed' },
  { key: 'approved', phase: 'Approved' },
  { key: 'conflict', phase: 'Conflict' },
];

/** Open proposals by phase, each opening the updates page filtered to it. */
export const PendingUpdatesCard = ({
  org,
  pending,
}: {
  org: string;
  pending?: PendingMemoryUpdates;
}) => {
  const paths = useMemoryUpdatePaths();
  return (
    <InfoCard
      title="Pending updates"
      deepLink={{ title: 'Memory updates', link: paths.list(org) }}
    >
      {pending ? (
        <Table size="small" aria-label="Pending updates">
          <ColumnHeads columns={['Phase', 'Proposals']} />
          <TableBody>
            {PHASES.map(({ key, phase }) => (
              <TableRow key={key}>
                <TableCell>
                  <Link to={paths.list(org, phase)}>{phase}</Link>
                </TableCell>
                <TableCell>{pending[key]}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : (
        'This backend does not count pending updates.'
      )}
    </InfoCard>
  );
};
