import {
  Content,
  EmptyState,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import { agentsApiRef } from '../../api';
import { useLivePolling } from '../../hooks/useLivePolling';
import { AgentsNav } from '../AgentsNav';
import { LiveStatus } from '../LiveStatus';
import { OrgSwitcher, useSelectedOrg } from '../OrgSwitcher';
import { RecentDeliveries } from '../RecentDeliveries';
import { RulesTable } from './RulesTable';

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
  const namespace = useSelectedOrg();
  const rules = useLivePolling(
    () => agentsApi.listRules({ namespace, limit: 500 }),
    [agentsApi, namespace],
    { kinds: ['AgentTriggerRule'], intervalMs: pollIntervalMs },
  );

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
    body = <RulesTable rules={rules.value.items} />;
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
