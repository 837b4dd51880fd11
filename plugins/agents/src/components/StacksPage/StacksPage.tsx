import {
  Content,
  EmptyState,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  AGENTS_API_GROUP_VERSION,
  AgentStackKind,
} from '@krate/plugin-agents-common';
import Button from '@material-ui/core/Button';
import Drawer from '@material-ui/core/Drawer';
import Box from '@material-ui/core/Box';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { agentsApiRef, AgentsResource } from '../../api';
import { AgentsNav } from '../AgentsNav';
import { ResourceEditor, toDraft } from '../ResourceEditor';

const newStack = (): AgentsResource => ({
  apiVersion: AGENTS_API_GROUP_VERSION,
  kind: 'AgentStack',
  metadata: { name: '', namespace: 'acme' },
  spec: { runtime: 'scripted' },
});

const columns: TableColumn<AgentsResource>[] = [
  { title: 'Name', field: 'metadata.name', highlight: true },
  { title: 'Org', field: 'metadata.namespace' },
  { title: 'Runtime', field: 'spec.runtime' },
  { title: 'Model', field: 'spec.model' },
  {
    title: 'Readiness',
    render: stack => String(stack.status?.readiness ?? 'Not reconciled'),
  },
];

/** The stack registry: every AgentStack, and the builder to edit or create one. */
export const StacksPage = () => {
  const agentsApi = useApi(agentsApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => agentsApi.listResources('agentstacks', { limit: 500 }),
    [agentsApi],
  );
  const [editing, setEditing] = useState<{
    applied?: AgentsResource;
    draft: AgentsResource;
  }>();

  let body;
  if (loading) {
    body = <Progress />;
  } else if (error) {
    body = (
      <ResponseErrorPanel title="Could not list agent stacks" error={error} />
    );
  } else if (!value?.items.length) {
    body = (
      <EmptyState
        missing="data"
        title="No agent stacks yet"
        description="A stack defines the agent: runtime, model, prompt, tools and policies."
        action={
          <Button
            variant="contained"
            color="primary"
            onClick={() => setEditing({ draft: newStack() })}
          >
            New stack
          </Button>
        }
      />
    );
  } else {
    body = (
      <Table
        title="Agent stacks"
        options={{ paging: false, search: true }}
        columns={columns}
        data={value.items}
        onRowClick={(_, stack) =>
          stack && setEditing({ applied: stack, draft: toDraft(stack) })
        }
        actions={[
          {
            icon: () => <span>New stack</span>,
            tooltip: 'New stack',
            isFreeAction: true,
            onClick: () => setEditing({ draft: newStack() }),
          },
        ]}
      />
    );
  }

  return (
    <Page themeId="tool">
      <Header
        title="Agent stacks"
        subtitle="Base agents, models, prompts, tools and policies"
      />
      <AgentsNav />
      <Content>
        {body}
        <Drawer
          anchor="right"
          open={Boolean(editing)}
          onClose={() => setEditing(undefined)}
        >
          <Box width={640} p={3}>
            {editing && (
              <ResourceEditor
                key={editing.applied?.metadata.uid ?? 'new'}
                definition={AgentStackKind}
                applied={editing.applied}
                initialDraft={editing.draft}
                onApplied={applied => {
                  setEditing({ applied, draft: toDraft(applied) });
                  retry();
                }}
              />
            )}
          </Box>
        </Drawer>
      </Content>
    </Page>
  );
};
