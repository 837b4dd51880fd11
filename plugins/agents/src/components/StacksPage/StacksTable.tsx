import { InfoCard, Link } from '@backstage/core-components';
import IconButton from '@material-ui/core/IconButton';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableRow from '@material-ui/core/TableRow';
import EditIcon from '@material-ui/icons/Edit';
import { AgentsResource } from '../../api';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { ColumnHeads } from '../ColumnHeads';

/** `<org>/<name>`: what tells stacks apart across orgs. */
export const stackKey = (stack: AgentsResource) =>
  `${stack.metadata.namespace}/${stack.metadata.name}`;

const COLUMNS = ['Name', 'Org', 'Runtime', 'Model', 'Readiness', ''];

export interface StacksTableProps {
  stacks: AgentsResource[];
  onEdit: (stack: AgentsResource) => void;
}

/**
 * The stacks, each linking to its page, with an action to open it in the builder. A plain table:
 * material-table resets its state and warns whenever live data arrives for columns that render.
 */
export const StacksTable = ({ stacks, onEdit }: StacksTableProps) => {
  const paths = useAgentsPaths();
  return (
    <InfoCard title="Agent stacks" noPadding>
      <TableContainer>
        <Table size="small" aria-label="Agent stacks">
          <ColumnHeads columns={COLUMNS} />
          <TableBody>
            {stacks.map(stack => {
              const { namespace, name } = stack.metadata;
              return (
                <TableRow key={stackKey(stack)}>
                  <TableCell>
                    <Link to={paths.stack(namespace, name)}>{name}</Link>
                  </TableCell>
                  <TableCell>{namespace}</TableCell>
                  <TableCell>{String(stack.spec?.runtime ?? '—')}</TableCell>
                  <TableCell>{String(stack.spec?.model ?? '—')}</TableCell>
                  <TableCell>
                    {String(stack.status?.readiness ?? 'Not reconciled')}
                  </TableCell>
                  <TableCell padding="checkbox">
                    <IconButton
                      size="small"
                      aria-label="Edit in builder"
                      title="Edit in builder"
                      onClick={() => onEdit(stack)}
                    >
                      <EditIcon fontSize="small" />
                    </IconButton>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </TableContainer>
    </InfoCard>
  );
};
