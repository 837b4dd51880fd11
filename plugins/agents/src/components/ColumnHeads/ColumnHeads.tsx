import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles({
  // The theme lets table cells break anywhere; a narrow column then splits its name mid-word.
  head: { whiteSpace: 'nowrap' },
});

/** The header row of a plain table: one cell per column name. */
export const ColumnHeads = ({ columns }: { columns: readonly string[] }) => {
  const classes = useStyles();
  return (
    <TableHead>
      <TableRow>
        {columns.map(column => (
          <TableCell key={column} className={classes.head}>
            {column}
          </TableCell>
        ))}
      </TableRow>
    </TableHead>
  );
};
