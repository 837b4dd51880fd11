import {
  Breadcrumbs,
  Content,
  Header,
  Link,
  Page,
  Progress,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  AgentKindDefinition,
  agentsResourcePermission,
} from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { ReactNode, useState } from 'react';
import { useParams } from 'react-router-dom';
import { agentsApiRef, AgentsResource } from '../../api';
import { usePermissionGate } from '../../hooks/usePermissionGate';
import { useLivePolling } from '../../hooks/useLivePolling';
import { isObject, SignalledKind } from '../../hooks/useLiveRefresh';
import { resourceRefOf } from '../../lib/resourceRef';
import { AgentsNav } from '../AgentsNav';
import { GatedButton } from '../GatedButton';
import { LiveStatus } from '../LiveStatus';
import { EditorDrawer, toDraft } from '../ResourceEditor';
import { ResourceUnavailable } from '../ResourceUnavailable';

export interface RegistryDetailPageProps {
  definition: AgentKindDefinition;
  /** One object in words, e.g. "tool profile". */
  noun: string;
  /** The list of the kind, filtered to an org. */
  listPath: (filters?: Record<string, string | undefined>) => string;
  listLabel: string;
  pollIntervalMs: number;
  /**
   * The object's cards. `replace` shows an object an action answered with (a probe) at once,
   * before the next read.
   */
  children: (
    object: AgentsResource,
    replace: (object: AgentsResource) => void,
  ) => ReactNode;
}

/**
 * The page of one registry object (tool profile, MCP server, skill): header, breadcrumbs, the
 * permission-gated editor, the missing and error states, and the kind's own cards.
 */
export const RegistryDetailPage = (props: RegistryDetailPageProps) => {
  const { definition, noun, pollIntervalMs } = props;
  const agentsApi = useApi(agentsApiRef);
  const { namespace = '', name = '' } = useParams();
  const read = useLivePolling(
    () => agentsApi.getResource(definition.plural, namespace, name),
    [agentsApi, definition.plural, namespace, name],
    {
      kinds: [definition.kind as SignalledKind],
      matches: isObject(namespace, name),
      intervalMs: pollIntervalMs,
    },
  );
  const [answered, setAnswered] = useState<{
    object: AgentsResource;
    at: number;
  }>();
  const replace = (object: AgentsResource) =>
    setAnswered({ object, at: Date.now() });
  const object =
    answered && answered.at > (read.updatedAt ?? 0)
      ? answered.object
      : read.value;
  const [editing, setEditing] = useState<AgentsResource>();
  const forbidden = usePermissionGate(
    agentsResourcePermission(definition.kind, 'update'),
    object ? resourceRefOf(definition.kind, namespace, name) : undefined,
    `update ${definition.kind} ${namespace}/${name}`,
  );

  let body;
  if (read.loading) {
    body = <Progress />;
  } else if (!object) {
    body = (
      <ResourceUnavailable
        error={read.error}
        missingTitle={`No ${noun} ${namespace}/${name}`}
        errorTitle={`Could not read ${noun} ${namespace}/${name}`}
        list={{ label: props.listLabel, to: props.listPath({ namespace }) }}
      />
    );
  } else {
    body = (
      <>
        <Box display="flex" flexDirection="column" gridGap={8} mb={2}>
          <Box display="flex" gridGap={8} alignItems="center">
            <GatedButton
              variant="outlined"
              reason={forbidden}
              hint={`Edit this ${noun} as a form or YAML`}
              onClick={() => setEditing(object)}
            >
              Edit
            </GatedButton>
          </Box>
          {forbidden && (
            <Typography variant="body2" color="textSecondary">
              Editing is disabled: {forbidden}
            </Typography>
          )}
          <LiveStatus
            what={`the ${noun}`}
            error={read.error}
            updatedAt={read.updatedAt}
            mode={read.mode}
            intervalMs={read.intervalMs}
          />
        </Box>
        {props.children(object, replace)}
      </>
    );
  }

  return (
    <Page themeId="tool">
      <Header
        title={name}
        type={definition.kind}
        subtitle={
          typeof object?.spec.description === 'string'
            ? object.spec.description
            : undefined
        }
      />
      <AgentsNav />
      <Content>
        <Box mb={2}>
          <Breadcrumbs aria-label={`${definition.kind} breadcrumbs`}>
            <Link to={props.listPath({ namespace })}>{namespace}</Link>
            <Typography>{name}</Typography>
          </Breadcrumbs>
        </Box>
        {body}
        <EditorDrawer
          editorKey={editing?.metadata.uid ?? editing?.metadata.name}
          editor={
            editing && {
              definition,
              applied: editing,
              initialDraft: toDraft(editing),
              onApplied: applied => {
                setEditing(applied);
                replace(applied);
                read.refresh();
              },
            }
          }
          onClose={() => setEditing(undefined)}
        />
      </Content>
    </Page>
  );
};
