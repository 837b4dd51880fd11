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
import {
  AGENTS_API_GROUP_VERSION,
  AgentStackKind,
} from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Drawer from '@material-ui/core/Drawer';
import EditIcon from '@material-ui/icons/Edit';
import Alert from '@material-ui/lab/Alert';
import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { agentsApiRef, AgentsResource } from '../../api';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { useLivePolling } from '../../hooks/useLivePolling';
import { AgentsNav } from '../AgentsNav';
import { LiveStatus } from '../LiveStatus';
import { OrgSwitcher, useSelectedOrg } from '../OrgSwitcher';
import { ResourceEditor, toDraft } from '../ResourceEditor';

const newStack = (namespace = 'acme'): AgentsResource => ({
  apiVersion: AGENTS_API_GROUP_VERSION,
  kind: 'AgentStack',
  metadata: { name: '', namespace },
  spec: { runtime: 'scripted' },
});

const keyOf = (stack: AgentsResource) =>
  `${stack.metadata.namespace}/${stack.metadata.name}`;

export interface StacksPageProps {
  pollIntervalMs?: number;
}

/**
 * The stack registry: every AgentStack linking to its page, and the builder to edit or create
 * one. `?edit=<org>/<name>` opens the builder on that stack.
 */
export const StacksPage = ({ pollIntervalMs = 10_000 }: StacksPageProps) => {
  const agentsApi = useApi(agentsApiRef);
  const paths = useAgentsPaths();
  const [searchParams, setSearchParams] = useSearchParams();
  const editParam = searchParams.get('edit') ?? undefined;
  const namespace = useSelectedOrg();
  const stacks = useLivePolling(
    () => agentsApi.listResources('agentstacks', { namespace, limit: 500 }),
    [agentsApi, namespace],
    { kinds: ['AgentStack'], intervalMs: pollIntervalMs },
  );
  const [editing, setEditing] = useState<{
    applied?: AgentsResource;
    draft: AgentsResource;
  }>();
  const edit = (stack: AgentsResource) =>
    setEditing({ applied: stack, draft: toDraft(stack) });

  const requested = stacks.value?.items.find(s => keyOf(s) === editParam);
  const openedFor = useRef<string>();
  useEffect(() => {
    if (requested && openedFor.current !== editParam) {
      openedFor.current = editParam;
      setEditing({ applied: requested, draft: toDraft(requested) });
    }
  }, [requested, editParam]);

  const close = () => {
    setEditing(undefined);
    if (editParam) {
      openedFor.current = undefined;
      const next = new URLSearchParams(searchParams);
      next.delete('edit');
      setSearchParams(next);
    }
  };

  const columns: TableColumn<AgentsResource>[] = [
    {
      title: 'Name',
      field: 'metadata.name',
      highlight: true,
      render: stack => (
        <Link to={paths.stack(stack.metadata.namespace, stack.metadata.name)}>
          {stack.metadata.name}
        </Link>
      ),
    },
    { title: 'Org', field: 'metadata.namespace' },
    { title: 'Runtime', field: 'spec.runtime' },
    { title: 'Model', field: 'spec.model' },
    {
      title: 'Readiness',
      render: stack => String(stack.status?.readiness ?? 'Not reconciled'),
    },
  ];

  let body;
  if (stacks.loading) {
    body = <Progress />;
  } else if (!stacks.value) {
    body = (
      <ResponseErrorPanel
        title="Could not list agent stacks"
        error={stacks.error!}
      />
    );
  } else if (!stacks.value.items.length) {
    body = (
      <EmptyState
        missing="data"
        title={
          namespace ? `No agent stacks in ${namespace}` : 'No agent stacks yet'
        }
        description="A stack defines the agent: runtime, model, prompt, tools and policies."
        action={
          <Button
            variant="contained"
            color="primary"
            onClick={() => setEditing({ draft: newStack(namespace) })}
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
        options={{ paging: false, search: true, actionsColumnIndex: -1 }}
        columns={columns}
        data={stacks.value.items}
        actions={[
          {
            icon: () => <EditIcon fontSize="small" />,
            tooltip: 'Edit in builder',
            onClick: (_, stack) => {
              if (stack && !Array.isArray(stack)) edit(stack);
            },
          },
          {
            icon: () => <span>New stack</span>,
            tooltip: 'New stack',
            isFreeAction: true,
            onClick: () => setEditing({ draft: newStack(namespace) }),
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
        <Box mb={2}>
          <OrgSwitcher
            seen={stacks.value?.items.map(s => s.metadata.namespace)}
          />
        </Box>
        {stacks.value && (
          <Box mb={1}>
            <LiveStatus
              what="stacks"
              error={stacks.error}
              updatedAt={stacks.updatedAt}
              mode={stacks.mode}
              intervalMs={stacks.intervalMs}
            />
          </Box>
        )}
        {editParam && stacks.value && !requested && (
          <Box mb={2}>
            <Alert severity="warning">
              No stack {editParam} to edit: it may have been deleted.
            </Alert>
          </Box>
        )}
        {body}
        <Drawer anchor="right" open={Boolean(editing)} onClose={close}>
          <Box width={640} p={3}>
            {editing && (
              <ResourceEditor
                key={editing.applied?.metadata.uid ?? 'new'}
                definition={AgentStackKind}
                applied={editing.applied}
                initialDraft={editing.draft}
                onApplied={applied => {
                  setEditing({ applied, draft: toDraft(applied) });
                  stacks.refresh();
                }}
              />
            )}
          </Box>
        </Drawer>
      </Content>
    </Page>
  );
};
