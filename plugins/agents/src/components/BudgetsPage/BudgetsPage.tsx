import {
  Content,
  EmptyState,
  Header,
  InfoCard,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  AGENTS_API_GROUP_VERSION,
  AgentBudgetKind,
  BudgetState,
} from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { agentsApiRef, AgentsResource } from '../../api';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { useLivePolling } from '../../hooks/useLivePolling';
import { serverMessage } from '../../lib/serverMessage';
import { AgentsNav } from '../AgentsNav';
import { BudgetBar } from '../BudgetBar';
import { LiveStatus } from '../LiveStatus';
import { OrgSwitcher, useSelectedOrg } from '../OrgSwitcher';
import { EditorDrawer, toDraft } from '../ResourceEditor';

const newBudget = (namespace = 'acme'): AgentsResource => ({
  apiVersion: AGENTS_API_GROUP_VERSION,
  kind: 'AgentBudget',
  metadata: { name: '', namespace },
  spec: {
    scope: { stack: '' },
    window: '7d',
    limits: { usd: 10 },
    onExceed: 'refuse',
    hardCap: true,
  },
});

export interface BudgetsPageProps {
  pollIntervalMs?: number;
}

/**
 * Every budget with what it spent in its window, in the chosen org or in every org with stacks
 * (the state route answers one org at a time); new and changed budgets go through the editor.
 */
export const BudgetsPage = ({ pollIntervalMs = 30_000 }: BudgetsPageProps) => {
  const agentsApi = useApi(agentsApiRef);
  const paths = useAgentsPaths();
  const namespace = useSelectedOrg();
  const budgets = useLivePolling(
    async () => {
      const orgs = namespace
        ? [namespace]
        : [
            ...new Set(
              (await agentsApi.listStacks({ limit: 500 })).items.map(
                s => s.metadata.namespace,
              ),
            ),
          ];
      const states = await Promise.all(
        orgs.map(org => agentsApi.getBudgetStates({ namespace: org })),
      );
      return states.flatMap(s => s.items);
    },
    [agentsApi, namespace],
    {
      kinds: ['AgentDispatchAttempt'],
      intervalMs: pollIntervalMs,
    },
  );
  const [editing, setEditing] = useState<{
    applied?: AgentsResource;
    draft: AgentsResource;
  }>();
  const [editError, setEditError] = useState<string>();
  const create = () => setEditing({ draft: newBudget(namespace) });
  const edit = async (budget: BudgetState) => {
    setEditError(undefined);
    try {
      const applied = await agentsApi.getResource(
        'agentbudgets',
        budget.namespace,
        budget.name,
      );
      setEditing({ applied, draft: toDraft(applied) });
    } catch (error) {
      setEditError(
        `Could not open ${budget.namespace}/${budget.name}: ${serverMessage(
          error,
        )}`,
      );
    }
  };

  const newButton = (
    <Button variant="contained" color="primary" onClick={create}>
      New budget
    </Button>
  );

  let body;
  if (budgets.loading) {
    body = <Progress />;
  } else if (!budgets.value) {
    body = (
      <ResponseErrorPanel
        title="Could not read the budgets"
        error={budgets.error!}
      />
    );
  } else if (!budgets.value.length) {
    body = (
      <EmptyState
        missing="data"
        title={namespace ? `No budgets in ${namespace}` : 'No budgets yet'}
        description="A budget limits what the runs of a stack, a trigger rule or a team's stacks spend over a window."
        action={newButton}
      />
    );
  } else {
    body = (
      <InfoCard title="Budgets">
        <Box role="list" aria-label="Budgets">
          {budgets.value.map(budget => (
            <Box
              key={`${budget.namespace}/${budget.name}`}
              role="listitem"
              display="flex"
              alignItems="flex-start"
              gridGap={16}
            >
              <Box flexGrow={1}>
                <BudgetBar
                  budget={budget}
                  title={
                    <Link
                      to={paths.resource(
                        'agentbudgets',
                        budget.namespace,
                        budget.name,
                      )}
                    >
                      {budget.namespace}/{budget.name}
                    </Link>
                  }
                />
              </Box>
              <Button
                size="small"
                aria-label={`Edit ${budget.namespace}/${budget.name}`}
                onClick={() => edit(budget)}
              >
                Edit
              </Button>
            </Box>
          ))}
        </Box>
      </InfoCard>
    );
  }

  return (
    <Page themeId="tool">
      <Header
        title="Budgets"
        subtitle="What stacks, rules and teams may spend, and what they spent"
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
          <OrgSwitcher seen={budgets.value?.map(b => b.namespace)} />
          {Boolean(budgets.value?.length) && newButton}
        </Box>
        {budgets.value && (
          <Box mb={1}>
            <LiveStatus
              what="budgets"
              error={budgets.error}
              updatedAt={budgets.updatedAt}
              mode={budgets.mode}
              intervalMs={budgets.intervalMs}
            />
          </Box>
        )}
        {editError && (
          <Box mb={2}>
            <Alert severity="error">{editError}</Alert>
          </Box>
        )}
        {body}
        <EditorDrawer
          editorKey={editing?.applied?.metadata.uid ?? 'new'}
          editor={
            editing && {
              definition: AgentBudgetKind,
              applied: editing.applied,
              initialDraft: editing.draft,
              onApplied: applied => {
                setEditing({ applied, draft: toDraft(applied) });
                budgets.refresh();
              },
            }
          }
          onClose={() => setEditing(undefined)}
        />
      </Content>
    </Page>
  );
};
