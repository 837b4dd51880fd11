import {
  Content,
  EmptyState,
  Header,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { AgentTriggerRule } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { agentsApiRef } from '../../api';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { useLivePolling } from '../../hooks/useLivePolling';
import { formatTime } from '../../lib/format';
import { countsText, repositoriesText } from '../../lib/triggerRuleText';
import { AgentsNav } from '../AgentsNav';
import { LiveStatus } from '../LiveStatus';
import { OrgSwitcher, useSelectedOrg } from '../OrgSwitcher';
import { RecentDeliveries } from '../RecentDeliveries';
import { RuleLifecycleChip } from '../RuleLifecycleChip';
import { TriggerOutcomeChip } from '../TriggerOutcomeChip';

export interface RulesPageProps {
  pollIntervalMs?: number;
}

/**
 * The trigger rules of one org or all: what each listens to, the stack it dispatches, and what
 * its last delivery came to, refreshed when a rule changes; below them the org's recent webhook
 * deliveries.
 */
export const RulesPage = ({ pollIntervalMs = 10_000 }: RulesPageProps) => {
  const agentsApi = useApi(agentsApiRef);
  const paths = useAgentsPaths();
  const namespace = useSelectedOrg();
  const rules = useLivePolling(
    () => agentsApi.listRules({ namespace, limit: 500 }),
    [agentsApi, namespace],
    { kinds: ['AgentTriggerRule'], intervalMs: pollIntervalMs },
  );

  const columns: TableColumn<AgentTriggerRule>[] = [
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

  let body;
  if (rules.loading) {
    body = <Progress />;
  } else if (!rules.value) {
    body = (
      <ResponseErrorPanel
        title="Could not list trigger rules"
        error={rules.error!}
      />
    );
  } else if (!rules.value.items.length) {
    body = (
      <EmptyState
        missing="data"
        title={
          namespace
            ? `No trigger rules in ${namespace}`
            : 'No trigger rules yet'
        }
        description="A trigger rule routes repository, CI, webhook and schedule events to an agent stack. Apply an AgentTriggerRule to add one."
      />
    );
  } else {
    body = (
      <Table
        title="Trigger rules"
        options={{ paging: false, search: true }}
        columns={columns}
        data={rules.value.items}
      />
    );
  }

  return (
    <Page themeId="tool">
      <Header
        title="Trigger rules"
        subtitle="Events that dispatch agent stacks: matchers, dedupe, concurrency and lifecycle"
      />
      <AgentsNav />
      <Content>
        <Box mb={2}>
          <OrgSwitcher
            seen={rules.value?.items.map(r => r.metadata.namespace)}
          />
        </Box>
        {rules.value && (
          <Box mb={1}>
            <LiveStatus
              what="rules"
              error={rules.error}
              updatedAt={rules.updatedAt}
              mode={rules.mode}
              intervalMs={rules.intervalMs}
            />
          </Box>
        )}
        {body}
        <Box mt={3}>
          <RecentDeliveries
            namespace={namespace}
            pollIntervalMs={pollIntervalMs}
          />
        </Box>
      </Content>
    </Page>
  );
};
