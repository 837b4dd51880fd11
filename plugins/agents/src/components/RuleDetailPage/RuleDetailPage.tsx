import { Content, Header, Page, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  AgentTriggerRule,
  AgentTriggerRuleKind,
} from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { agentsApiRef, AgentsResource } from '../../api';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { useLivePolling } from '../../hooks/useLivePolling';
import { isObject } from '../../hooks/useLiveRefresh';
import { AgentsNav } from '../AgentsNav';
import { LiveStatus } from '../LiveStatus';
import { ResourceBreadcrumbs } from '../ResourceBreadcrumbs';
import { ResourceUnavailable } from '../ResourceUnavailable';
import { EditorDrawer, toDraft } from '../ResourceEditor';
import { RuleDraftDryRun } from '../RuleDraftDryRun';
import { RuleDryRunCard } from '../RuleDryRunCard';
import { RuleActions } from './RuleActions';
import { RuleExecutions } from './RuleExecutions';
import { RuleOverview } from './RuleOverview';
import { RuleStatus } from './RuleStatus';
import { useRuleExecutions } from './useRuleExecutions';

export interface RuleDetailPageProps {
  pollIntervalMs?: number;
}

/**
 * One AgentTriggerRule: what it listens to and dispatches, what its deliveries came to, a dry-run
 * against a sample event, its recent executions, and the editor.
 */
export const RuleDetailPage = ({
  pollIntervalMs = 10_000,
}: RuleDetailPageProps) => {
  const agentsApi = useApi(agentsApiRef);
  const paths = useAgentsPaths();
  const { namespace = '', name = '' } = useParams();
  const rule = useLivePolling(
    async () =>
      (await agentsApi.getResource(
        'agenttriggerrules',
        namespace,
        name,
      )) as unknown as AgentTriggerRule,
    [agentsApi, namespace, name],
    {
      kinds: ['AgentTriggerRule'],
      matches: isObject(namespace, name),
      intervalMs: pollIntervalMs,
    },
  );
  const executions = useRuleExecutions(namespace, name, pollIntervalMs);
  const [editing, setEditing] = useState<AgentsResource>();

  let body;
  if (rule.loading) {
    body = <Progress />;
  } else if (!rule.value) {
    body = (
      <ResourceUnavailable
        error={rule.error}
        missingTitle={`No trigger rule ${namespace}/${name}`}
        errorTitle={`Could not read trigger rule ${namespace}/${name}`}
        list={{ label: 'All rules', to: paths.rules }}
      />
    );
  } else {
    const current = rule.value;
    body = (
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <Box display="flex" flexDirection="column" gridGap={8}>
            <RuleActions
              rule={current}
              onEdit={() => setEditing(current as unknown as AgentsResource)}
              onChanged={rule.refresh}
            />
            <LiveStatus
              what="the rule"
              error={rule.error}
              updatedAt={rule.updatedAt}
              mode={rule.mode}
              intervalMs={rule.intervalMs}
            />
          </Box>
        </Grid>
        <Grid item xs={12} md={6}>
          <RuleOverview rule={current} />
        </Grid>
        <Grid item xs={12} md={6}>
          <RuleStatus rule={current} />
        </Grid>
        <Grid item xs={12}>
          {/* A changed spec (other sources or repositories) starts the form over. */}
          <RuleDryRunCard
            key={`${current.metadata.uid}/${current.metadata.generation}`}
            rule={current}
            onDryRun={executions.refresh}
          />
        </Grid>
        <Grid item xs={12}>
          <RuleExecutions namespace={namespace} executions={executions} />
        </Grid>
      </Grid>
    );
  }

  return (
    <Page themeId="tool">
      <Header
        title={name}
        type="Trigger rule"
        subtitle={rule.value?.spec.description}
      />
      <AgentsNav />
      <Content>
        <Box mb={2}>
          <ResourceBreadcrumbs
            label="Rule breadcrumbs"
            list="rules"
            namespace={namespace}
            current={name}
          />
        </Box>
        {body}
        <EditorDrawer
          editor={
            editing && {
              definition: AgentTriggerRuleKind,
              applied: editing,
              initialDraft: toDraft(editing),
              tryOut: (draft, valid) => (
                <RuleDraftDryRun draft={draft} valid={valid} />
              ),
              onApplied: applied => {
                setEditing(applied);
                rule.refresh();
              },
            }
          }
          onClose={() => setEditing(undefined)}
        />
      </Content>
    </Page>
  );
};
