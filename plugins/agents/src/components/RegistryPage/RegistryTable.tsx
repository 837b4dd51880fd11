import { InfoCard, Link } from '@backstage/core-components';
import IconButton from '@material-ui/core/IconButton';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableRow from '@material-ui/core/TableRow';
import EditIcon from '@material-ui/icons/Edit';
import { ReactNode } from 'react';
import { AgentsResource } from '../../api';
import { ColumnHeads } from '../ColumnHeads';

/** A column of a registry list beside name and org. */
export interface RegistryColumn {
  label: string;
  render: (object: AgentsResource) => ReactNode;
}

export interface RegistryTableProps {
  title: string;
  objects: AgentsResource[];
  columns: RegistryColumn[];
  detailPath: (namespace: string, name: string) => string;
  onEdit: (object: AgentsResource) => void;
}

/**
 * Objects of one registry kind, each linking to its page, with an action to open it in the
 * editor. A plain table, as the stacks list: material-table resets on every live read.
 */
export const RegistryTable = ({
  title,
  objects,
  columns,
  detailPath,
  onEdit,
}: RegistryTableProps) => (
  <InfoCard title={title} noPadding>
    <TableContainer>
      <Table size="small" aria-label={title}>
        <ColumnHeads
          columns={['Name', 'Org', ...columns.map(c => c.label), '']}
        />
        <TableBody>
          {objects.map(object => {
            const { namespace, name } = object.metadata;
            return (
              <TableRow key={`${namespace}/${name}`}>
                <TableCell>
                  <Link to={detailPath(namespace, name)}>{name}</Link>
                </TableCell>
                <TableCell>{namespace}</TableCell>
                {columns.map(column => (
                  <TableCell key={column.label}>
                    {column.render(object)}
                  </TableCell>
                ))}
                <TableCell padding="checkbox">
                  <IconButton
                    size="small"
                    aria-label={`Edit ${name}`}
                    title="Edit in the resource editor"
                    onClick={() => onEdit(object)}
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
