import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { findKindByPlural } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import { useParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { stringify } from 'yaml';
import { agentsApiRef } from '../../api';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { AgentsNav } from '../AgentsNav';
import { AgentsNotFoundPage } from '../AgentsNotFoundPage';
import { CodeBlock } from '../CodeBlock';
import { ResourceBreadcrumbs } from '../ResourceBreadcrumbs';
import { ResourceUnavailable } from '../ResourceUnavailable';

/**
 * Any Agents object as stored, read-only: the page a reference (a stack's tool profile, skills,
 * MCP servers, subagents…) opens when its kind has no page of its own.
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
    body = (
      <InfoCard title={`${definition.kind} as stored`}>
        <CodeBlock label={`${definition.kind} ${name}`} maxHeight={640}>
          {stringify(resource.value)}
        </CodeBlock>
      </InfoCard>
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
      </Content>
    </Page>
  );
};
