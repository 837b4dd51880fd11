import { TriggerConditionResult } from '@krate/plugin-agents-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';

const MAX_VALUE_LENGTH = 80;

/** The sample's value as compact JSON, cut short; `missing` when the sample lacks the field. */
function sampleValue(actual: unknown): string {
  if (actual === undefined) return 'missing';
  const text = JSON.stringify(actual);
  return text.length > MAX_VALUE_LENGTH
    ? `${text.slice(0, MAX_VALUE_LENGTH)}…`
    : text;
}

/** Every condition of the rule checked against the sample, the failing ones with their reason. */
export const DryRunConditions = ({
  conditions,
}: {
  conditions: TriggerConditionResult[];
}) => (
  <Table size="small" aria-label="Conditions">
    <TableHead>
      <TableRow>
        <TableCell>Path</TableCell>
        <TableCell>Condition</TableCell>
        <TableCell>Sample value</TableCell>
        <TableCell>Matched</TableCell>
        <TableCell>Reason</TableCell>
      </TableRow>
    </TableHead>
    <TableBody>
      {conditions.map(condition => (
        <TableRow
          key={condition.path}
          aria-label={`${condition.path}: ${condition.description}`}
        >
          <TableCell>
            <code>{condition.path}</code>
          </TableCell>
          <TableCell>{condition.description}</TableCell>
          <TableCell>
            <code title={JSON.stringify(condition.actual)}>
              {sampleValue(condition.actual)}
            </code>
          </TableCell>
          <TableCell>
            <span
              role="img"
              aria-label={condition.matched ? 'matched' : 'not matched'}
            >
              {condition.matched ? '✓' : '✗'}
            </span>
          </TableCell>
          <TableCell>{condition.reason ?? ''}</TableCell>
        </TableRow>
      ))}
    </TableBody>
  </Table>
);
