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
  AgentKindDefinition,
} from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { useState } from 'react';
import { agentsApiRef, AgentsResource } from '../../api';
import { useLivePolling } from '../../hooks/useLivePolling';
import { inNamespace, SignalledKind } from '../../hooks/useLiveRefresh';
import { AgentsNav } from '../AgentsNav';
import { LiveStatus } from '../LiveStatus';
import { OrgSwitcher, useSelectedOrg } from '../OrgSwitcher';
import { EditorDrawer, toDraft } from '../ResourceEditor';
import { RegistryColumn, RegistryTable } from './RegistryTable';

/** The org a new object goes to when the page shows every org. */
const DEFAULT_ORG = 'acme';

export interface RegistryListPageProps {
  definition: AgentKindDefinition;
  title: string;
  subtitle: string;
  /** One object in words, e.g. "tool profile": for "New tool profile". */
  noun: string;
  /** Several, e.g. "tool profiles": for "No tool profiles in acme". */
  nouns: string;
  emptyDescription: string;
  /** The spec a new object starts from. */
  newSpec: Record<string, unknown>;
  columns: RegistryColumn[];
  detailPath: (namespace: string, name: string) => string;
  pollIntervalMs: number;
}

/**
 * The list page of a registry kind (tool profiles, MCP servers, skills) in one org or all, kept
 * current by change signals (polling without them), with create and edit in the resource editor.
 */
export const RegistryListPage = (props: RegistryListPageProps) => {
  const { definition, noun, nouns, pollIntervalMs } = props;
  const agentsApi = useApi(agentsApiRef);
  const namespace = useSelectedOrg();
  const objects = useLivePolling(
    () => agentsApi.listResources(definition.plural, { namespace, limit: 500 }),
    [agentsApi, namespace, definition.plural],
    {
      kinds: [definition.kind as SignalledKind],
      ...(namespace ? { matches: inNamespace(namespace) } : {}),
      intervalMs: pollIntervalMs,
    },
  );
  const [editing, setEditing] = useState<{
    applied?: AgentsResource;
    draft: AgentsResource;
  }>();
  const edit = (object: AgentsResource) =>
    setEditing({ applied: object, draft: toDraft(object) });
  const create = () =>
    setEditing({
      draft: {
        apiVersion: AGENTS_API_GROUP_VERSION,
        kind: definition.kind,
        metadata: { name: '', namespace: namespace ?? DEFAULT_ORG },
        spec: props.newSpec,
      },
    });
  const newButton = (
    <Button variant="contained" color="primary" onClick={create}>
      New {noun}
    </Button>
  );

  let body;
  if (objects.loading) {
    body = <Progress />;
  } else if (!objects.value) {
    body = (
      <ResponseErrorPanel
        title={`Could not list ${nouns}`}
        error={objects.error!}
      />
    );
  } else if (!objects.value.items.length) {
    body = (
      <EmptyState
        missing="data"
        title={namespace ? `No ${nouns} in ${namespace}` : `No ${nouns} yet`}
        description={props.emptyDescription}
        action={newButton}
      />
    );
  } else {
    body = (
      <RegistryTable
        title={props.title}
        objects={objects.value.items}
        columns={props.columns}
        detailPath={props.detailPath}
        onEdit={edit}
      />
    );
  }

  return (
    <Page themeId="tool">
      <Header title={props.title} subtitle={props.subtitle} />
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
            seen={objects.value?.items.map(o => o.metadata.namespace)}
          />
          {Boolean(objects.value?.items.length) && newButton}
        </Box>
        {objects.value && (
          <Box mb={1}>
            <LiveStatus
              what={nouns}
              error={objects.error}
              updatedAt={objects.updatedAt}
              mode="polling"
              intervalMs={pollIntervalMs}
            />
          </Box>
        )}
        {body}
        <EditorDrawer
          editorKey={editing?.applied?.metadata.uid ?? 'new'}
          editor={
            editing && {
              definition,
              applied: editing.applied,
              initialDraft: editing.draft,
              onApplied: applied => {
                setEditing({ applied, draft: toDraft(applied) });
                objects.refresh();
              },
            }
          }
          onClose={() => setEditing(undefined)}
        />
      </Content>
    </Page>
  );
};
