import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableRow from '@material-ui/core/TableRow';
import { MemoryIssue } from '../../api';
import { ColumnHeads } from '../ColumnHeads';

const COLUMNS = ['File', 'Field', 'Message'];

/** Problems with memory files: which file, which field (and line), and what is wrong. */
export const MemoryIssuesTable = ({
  issues,
  label,
}: {
  issues: MemoryIssue[];
  label: string;
}) => (
  <TableContainer>
    <Table size="small" aria-label={label}>
      <ColumnHeads columns={COLUMNS} />
      <TableBody>
        {issues.map((issue, index) => (
          <TableRow key={index}>
            <TableCell>
              <code>
                {issue.file}
                {issue.line === undefined ? '' : `:${issue.line}`}
              </code>
            </TableCell>
            <TableCell>
              <code>{issue.field}</code>
            </TableCell>
            <TableCell>{issue.message}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  </TableContainer>
);
