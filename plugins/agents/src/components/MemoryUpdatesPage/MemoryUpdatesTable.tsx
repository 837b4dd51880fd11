import { Link } from '@backstage/core-components';
import { AgentMemoryUpdate } from '@krate/plugin-agents-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableRow from '@material-ui/core/TableRow';
import { countOf, formatDuration, formatTime } from '../../lib/format';
import { ColumnHeads } from '../ColumnHeads';
import { MemoryUpdatePhaseChip } from './MemoryUpdatePhaseChip';
import { MemoryUpdateSource } from './MemoryUpdateSource';
import { useMemoryUpdatePaths } from './useMemoryUpdatePaths';

const COLUMNS = [
  'Title',
  'Phase',
  'Source',
  'Proposed by',
  'Files',
  'Validation',
  'Age',
];

/** Whether a proposal passed the ontology check, or how many issues it would add. */
export function validationText(update: AgentMemoryUpdate): string {
  const validation = update.status?.validation;
  if (!validation) return 'not validated yet';
  if (validation.valid && validation.issues.length === 0) return 'ok';
  return countOf(validation.issues.length, 'issue');
}

/** Proposed memory updates, each opening its review page. */
export const MemoryUpdatesTable = ({
  updates,
}: {
  updates: AgentMemoryUpdate[];
}) => {
  const paths = useMemoryUpdatePaths();
  return (
    <TableContainer>
      <Table size="small" aria-label="Memory updates">
        <ColumnHeads columns={COLUMNS} />
        <TableBody>
          {updates.map(update => {
            const { name, namespace, creationTimestamp } = update.metadata;
            return (
              <TableRow key={`${namespace}/${name}`}>
                <TableCell>
                  <Link to={paths.update(namespace, name)}>
                    {update.spec.title}
                  </Link>
                </TableCell>
                <TableCell>
                  <MemoryUpdatePhaseChip phase={update.status?.phase} />
                </TableCell>
                <TableCell>
                  <MemoryUpdateSource update={update} />
                </TableCell>
                <TableCell>{update.spec.proposedBy}</TableCell>
                <TableCell>{update.spec.files.length}</TableCell>
                <TableCell>{validationText(update)}</TableCell>
                <TableCell title={formatTime(creationTimestamp)}>
                  {formatDuration(creationTimestamp)}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
};
