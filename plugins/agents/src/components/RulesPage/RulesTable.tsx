import { InfoCard, Link } from '@backstage/core-components';
import { AgentTriggerRule } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { formatTime } from '../../lib/format';
import { countsText, repositoriesText } from '../../lib/triggerRuleText';
import { ColumnHeads } from '../ColumnHeads';
import { RuleLifecycleChip } from '../RuleLifecycleChip';
import { TriggerOutcomeChip } from '../TriggerOutcomeChip';

const COLUMNS = [
  'Name',
  'Org',
  'Lifecycle',
  'Events',
  'Repositories',
  'Stack',
  'Last outcome',
  'Counts',
];

/** What the filter looks in: the words shown in the rule's row. */
function searchableText(rule: AgentTriggerRule): string {
  return [
    rule.metadata.name,
    rule.metadata.namespace,
    rule.spec.lifecycle,
    rule.spec.source.events.join(' '),
    repositoriesText(rule),
    rule.spec.stack,
  ]
    .join(' ')
    .toLowerCase();
}

const LastOutcome = ({ rule }: { rule: AgentTriggerRule }) => {
  const last = rule.status?.lastExecution;
  if (!last) return <>no deliveries yet</>;
  return (
    <Box display="flex" flexDirection="column" alignItems="flex-start">
      <TriggerOutcomeChip outcome={last.outcome} />
      <Typography variant="caption" color="textSecondary">
        {formatTime(last.time)}
      </Typography>
    </Box>
  );
};

/**
 * The trigger rules, each linking to its page and to the stack it dispatches, with a filter. A
 * plain table: material-table resets its state and warns whenever live data arrives for columns
 * that render.
 */
export const RulesTable = ({ rules }: { rules: AgentTriggerRule[] }) => {
  const paths = useAgentsPaths();
  const [filter, setFilter] = useState('');
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const shown = rules.filter(rule => {
    const text = searchableText(rule);
    return words.every(word => text.includes(word));
  });
  return (
    <InfoCard
      title="Trigger rules"
      noPadding
      action={
        <TextField
          id="trigger-rules-filter"
          label="Filter"
          size="small"
          value={filter}
          onChange={event => setFilter(event.target.value)}
        />
      }
    >
      <TableContainer>
        <Table size="small" aria-label="Trigger rules">
          <ColumnHeads columns={COLUMNS} />
          <TableBody>
            {shown.map(rule => {
              const { namespace, name } = rule.metadata;
              return (
                <TableRow key={`${namespace}/${name}`}>
                  <TableCell>
                    <Link to={paths.rule(namespace, name)}>{name}</Link>
                  </TableCell>
                  <TableCell>{namespace}</TableCell>
                  <TableCell>
                    <RuleLifecycleChip lifecycle={rule.spec.lifecycle} />
                  </TableCell>
                  <TableCell>{rule.spec.source.events.join(', ')}</TableCell>
                  <TableCell>{repositoriesText(rule)}</TableCell>
                  <TableCell>
                    <Link to={paths.stack(namespace, rule.spec.stack)}>
                      {rule.spec.stack}
                    </Link>
                  </TableCell>
                  <TableCell>
                    <LastOutcome rule={rule} />
                  </TableCell>
                  <TableCell>{countsText(rule.status?.counts)}</TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </TableContainer>
      {shown.length === 0 && words.length > 0 && (
        <Box p={2}>
          <Typography color="textSecondary">
            No rule matches “{filter}”.
          </Typography>
        </Box>
      )}
    </InfoCard>
  );
};
