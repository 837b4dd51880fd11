import {
  Content,
  EmptyState,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { AgentTriggerRuleKind } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { agentsApiRef, AgentsResource } from '../../api';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { useLivePolling } from '../../hooks/useLivePolling';
import { AgentsNav } from '../AgentsNav';
import { LiveStatus } from '../LiveStatus';
import { OrgSwitcher, useSelectedOrg } from '../OrgSwitcher';
import { RecentDeliveries } from '../RecentDeliveries';
import { EditorDrawer } from '../ResourceEditor';
import { RuleDraftDryRun } from '../RuleDraftDryRun';
import { newRule } from './newRule';
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
  const navigate = useNavigate();
  const paths = useAgentsPaths();
  const [creating, setCreating] = useState<AgentsResource>();
  // The org's first stack as the draft's target; the author picks another in the form.
  const create = async () => {
    const stacks = await agentsApi
      .listStacks({ namespace, limit: 1 })
      .catch(() => undefined);
    const [stack] = stacks?.items ?? [];
    setCreating(
      newRule(namespace ?? stack?.metadata.namespace, stack?.metadata.name),
    );
  };
  const newRuleButton = (
    <Button variant="contained" color="primary" onClick={create}>
      New rule
    </Button>
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
        description="A trigger rule routes repository, CI, webhook and schedule events to an agent stack."
        action={newRuleButton}
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
        <Box
          display="flex"
          alignItems="center"
          justifyContent="space-between"
          flexWrap="wrap"
          gridGap={16}
          mb={2}
        >
          <OrgSwitcher
            seen={rules.value?.items.map(r => r.metadata.namespace)}
          />
          {Boolean(rules.value?.items.length) && newRuleButton}
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
        <EditorDrawer
          editor={
            creating && {
              definition: AgentTriggerRuleKind,
              initialDraft: creating,
              tryOut: (draft, valid) => (
                <RuleDraftDryRun draft={draft} valid={valid} />
              ),
              onApplied: ({ metadata }) =>
                navigate(paths.rule(metadata.namespace, metadata.name)),
            }
          }
          onClose={() => setCreating(undefined)}
        />
      </Content>
    </Page>
  );
};
