import { Link, Table, TableColumn } from '@backstage/core-components';
import { AgentTriggerRule } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useMemo } from 'react';
import { AgentsPaths, useAgentsPaths } from '../../hooks/useAgentsPaths';
import { formatTime } from '../../lib/format';
import { countsText, repositoriesText } from '../../lib/triggerRuleText';
import { RuleLifecycleChip } from '../RuleLifecycleChip';
import { TriggerOutcomeChip } from '../TriggerOutcomeChip';

/** A table row: the rule with the stable id the table keeps its row state by. */
type RuleRow = AgentTriggerRule & { id: string };

function ruleColumns(paths: AgentsPaths): TableColumn<RuleRow>[] {
  return [
    {
      title: 'Name',
      field: 'metadata.name',
      highlight: true,
      render: rule => (
        <Link to={paths.rule(rule.metadata.namespace, rule.metadata.name)}>
          {rule.metadata.name}
        </Link>
      ),
    },
    { title: 'Org', field: 'metadata.namespace' },
    {
      title: 'Lifecycle',
      field: 'spec.lifecycle',
      render: rule => <RuleLifecycleChip lifecycle={rule.spec.lifecycle} />,
    },
    {
      title: 'Events',
      render: rule => rule.spec.source.events.join(', '),
    },
    { title: 'Repositories', render: rule => repositoriesText(rule) },
    {
      title: 'Stack',
      field: 'spec.stack',
      render: rule => (
        <Link to={paths.stack(rule.metadata.namespace, rule.spec.stack)}>
          {rule.spec.stack}
        </Link>
      ),
    },
    {
      title: 'Last outcome',
      render: rule => {
        const last = rule.status?.lastExecution;
        if (!last) return 'no deliveries yet';
        return (
          <Box display="flex" flexDirection="column" alignItems="flex-start">
            <TriggerOutcomeChip outcome={last.outcome} />
            <Typography variant="caption" color="textSecondary">
              {formatTime(last.time)}
            </Typography>
          </Box>
        );
      },
    },
    { title: 'Counts', render: rule => countsText(rule.status?.counts) },
  ];
}

/** The trigger rules, each linking to its page and to the stack it dispatches. */
export const RulesTable = ({ rules }: { rules: AgentTriggerRule[] }) => {
  const paths = useAgentsPaths();
  const columns = useMemo(() => ruleColumns(paths), [paths]);
  const rows = useMemo(
    () =>
      rules.map(rule => ({
        ...rule,
        id: `${rule.metadata.namespace}/${rule.metadata.name}`,
      })),
    [rules],
  );
  return (
    <Table
      title="Trigger rules"
      options={{ paging: false, search: true }}
      columns={columns}
      data={rows}
    />
  );
};
