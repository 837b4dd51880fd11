import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  agentsResourcePermission,
  findKindByPlural,
} from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { stringify } from 'yaml';
import { agentsApiRef, AgentsResource } from '../../api';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { usePermissionGate } from '../../hooks/usePermissionGate';
import { resourceRefOf } from '../../lib/resourceRef';
import { AgentsNav } from '../AgentsNav';
import { AgentsNotFoundPage } from '../AgentsNotFoundPage';
import { CodeBlock } from '../CodeBlock';
import { GatedButton } from '../GatedButton';
import { EditorDrawer, toDraft } from '../ResourceEditor';
import { ResourceBreadcrumbs } from '../ResourceBreadcrumbs';
import { ResourceUnavailable } from '../ResourceUnavailable';

/**
 * Any Agents object as stored: the page a reference (a service account, a grant, a role binding,
 * a subagent…) opens when its kind has no page of its own. Configuration objects are edited in
 * the resource editor; execution records are read-only.
 */
export const ResourcePage = () => {
  const agentsApi = useApi(agentsApiRef);
  const paths = useAgentsPaths();
  const { plural = '', namespace = '', name = '' } = useParams();
  const definition = findKindByPlural(plural);
  const resource = useAsyncRetry(
    async () =>
      definition ? agentsApi.getResource(plural, namespace, name) : undefined,
    [agentsApi, definition, plural, namespace, name],
  );
  const [editing, setEditing] = useState<AgentsResource>();
  const editable = definition?.category === 'configuration';
  const forbidden = usePermissionGate(
    agentsResourcePermission(definition?.kind ?? 'AgentStack', 'update'),
    editable && resource.value
      ? resourceRefOf(definition!.kind, namespace, name)
      : undefined,
    `update ${definition?.kind} ${namespace}/${name}`,
  );
  if (!definition) return <AgentsNotFoundPage />;

  let body;
  if (resource.loading) {
    body = <Progress />;
  } else if (!resource.value) {
    body = (
      <ResourceUnavailable
        error={resource.error}
        missingTitle={`No ${definition.kind} ${namespace}/${name}`}
        errorTitle={`Could not read ${definition.kind} ${namespace}/${name}`}
        list={{ label: 'All stacks', to: paths.stackList({ namespace }) }}
      />
    );
  } else {
    const object = resource.value;
    body = (
      <>
        {editable && (
          <Box mb={2}>
            <GatedButton
              variant="outlined"
              reason={forbidden}
              hint={`Edit this ${definition.kind} as a form or YAML`}
              onClick={() => setEditing(object)}
            >
              Edit
            </GatedButton>
          </Box>
        )}
        <InfoCard title={`${definition.kind} as stored`}>
          <CodeBlock label={`${definition.kind} ${name}`} maxHeight={640}>
            {stringify(object)}
          </CodeBlock>
        </InfoCard>
      </>
    );
  }

  return (
    <Page themeId="tool">
      <Header title={name} type={definition.kind} />
      <AgentsNav />
      <Content>
        <Box mb={2}>
          <ResourceBreadcrumbs
            label={`${definition.kind} breadcrumbs`}
            list="stacks"
            namespace={namespace}
            current={name}
          />
        </Box>
        {body}
        <EditorDrawer
          editorKey={editing?.metadata.uid}
          editor={
            editing && {
              definition,
              applied: editing,
              initialDraft: toDraft(editing),
              onApplied: applied => {
                setEditing(applied);
                resource.retry();
              },
            }
          }
          onClose={() => setEditing(undefined)}
        />
      </Content>
    </Page>
  );
};
