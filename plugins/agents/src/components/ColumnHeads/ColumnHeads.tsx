import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';

/** The header row of a plain table: one cell per column name. */
export const ColumnHeads = ({ columns }: { columns: readonly string[] }) => (
  <TableHead>
    <TableRow>
      {columns.map(column => (
        <TableCell key={column}>{column}</TableCell>
      ))}
    </TableRow>
  </TableHead>
);
