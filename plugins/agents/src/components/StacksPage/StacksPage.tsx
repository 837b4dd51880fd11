import {
  Content,
  EmptyState,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  AGENTS_API_GROUP_VERSION,
  AgentStackKind,
} from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Alert from '@material-ui/lab/Alert';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { agentsApiRef, AgentsResource } from '../../api';
import { useLivePolling } from '../../hooks/useLivePolling';
import { AgentsNav } from '../AgentsNav';
import { LiveStatus } from '../LiveStatus';
import { OrgSwitcher, useSelectedOrg } from '../OrgSwitcher';
import { EditorDrawer, toDraft } from '../ResourceEditor';
import { stackDraftProblems } from './stackDraftProblems';
import { stackKey, StacksTable } from './StacksTable';
import { useRegisteredRuntimes } from './useRegisteredRuntimes';

const newStack = (namespace = 'acme'): AgentsResource => ({
  apiVersion: AGENTS_API_GROUP_VERSION,
  kind: 'AgentStack',
  metadata: { name: '', namespace },
  spec: { runtime: 'scripted' },
});

export interface StacksPageProps {
  pollIntervalMs?: number;
}

/**
 * The stack registry: every AgentStack linking to its page, and the builder to edit or create
 * one. `?edit=<org>/<name>` opens the builder on that stack.
 */
export const StacksPage = ({ pollIntervalMs = 10_000 }: StacksPageProps) => {
  const agentsApi = useApi(agentsApiRef);
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
  const create = () => setEditing({ draft: newStack(namespace) });
  const runtimes = useRegisteredRuntimes();
  const check = useCallback(
    (draft: AgentsResource) => stackDraftProblems(draft, runtimes),
    [runtimes],
  );

  const requested = stacks.value?.items.find(s => stackKey(s) === editParam);
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
          <Button variant="contained" color="primary" onClick={create}>
            New stack
          </Button>
        }
      />
    );
  } else {
    body = <StacksTable stacks={stacks.value.items} onEdit={edit} />;
  }

  return (
    <Page themeId="tool">
      <Header
        title="Agent stacks"
        subtitle="Base agents, models, prompts, tools and policies"
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
            seen={stacks.value?.items.map(s => s.metadata.namespace)}
          />
          {Boolean(stacks.value?.items.length) && (
            <Button variant="contained" color="primary" onClick={create}>
              New stack
            </Button>
          )}
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
        <EditorDrawer
          editorKey={editing?.applied?.metadata.uid ?? 'new'}
          editor={
            editing && {
              definition: AgentStackKind,
              applied: editing.applied,
              initialDraft: editing.draft,
              check,
              onApplied: applied => {
                setEditing({ applied, draft: toDraft(applied) });
                stacks.refresh();
              },
            }
          }
          onClose={close}
        />
      </Content>
    </Page>
  );
};
