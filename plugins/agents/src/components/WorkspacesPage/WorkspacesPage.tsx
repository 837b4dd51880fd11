import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { WORKSPACE_STATES } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Paper from '@material-ui/core/Paper';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { agentsApiRef } from '../../api';
import { useLivePolling } from '../../hooks/useLivePolling';
import { AgentsNav } from '../AgentsNav';
import { LiveStatus } from '../LiveStatus';
import { OrgSwitcher, useSelectedOrg } from '../OrgSwitcher';
import { ATTENTION_FLAGS, attentionFlags } from './workspaceFlags';
import { WorkspacesTable } from './WorkspacesTable';
import { FilterChoice } from '../FilterChoice';
import { NewWorkspaceDialog } from './NewWorkspaceDialog';
import { NewWorkspaceAction } from './newWorkspaceRequest';

export interface WorkspacesPageProps {
  pollIntervalMs?: number;
}

/**
 * Every AgentWorkspace: repository, state, owner, branch, git state, activity and trust tier.
 * The state filter is the API's; the attention filter reads the status flags of the rows.
 * New workspaces are provisioned or linked from an existing path through the action route.
 */
export const WorkspacesPage = ({
  pollIntervalMs = 5000,
}: WorkspacesPageProps) => {
  const agentsApi = useApi(agentsApiRef);
  const [searchParams, setSearchParams] = useSearchParams();
  const namespace = useSelectedOrg();
  const repository = searchParams.get('repository') ?? undefined;
  const state = searchParams.get('state') ?? undefined;
  const attention = searchParams.get('attention') ?? undefined;
  const workspaces = useLivePolling(
    () =>
      agentsApi.listWorkspaces({ namespace, repository, state, limit: 500 }),
    [agentsApi, namespace, repository, state],
    { kinds: ['AgentWorkspace'], intervalMs: pollIntervalMs },
  );
  const [creating, setCreating] = useState<NewWorkspaceAction>();
  const defaultOrg =
    namespace ?? workspaces.value?.items[0]?.metadata.namespace;
  const setParam = (key: string, value?: string) => {
    const next = new URLSearchParams(searchParams);
    if (value) next.set(key, value);
    else next.delete(key);
    setSearchParams(next);
  };

  const rows = (workspaces.value?.items ?? []).filter(workspace => {
    if (!attention) return true;
    const flags: string[] = attentionFlags(workspace);
    return attention === 'any' ? flags.length > 0 : flags.includes(attention);
  });

  let body;
  if (workspaces.loading) {
    body = <Progress />;
  } else if (!workspaces.value) {
    body = (
      <ResponseErrorPanel
        title="Could not list workspaces"
        error={workspaces.error!}
      />
    );
  } else if (rows.length === 0) {
    body =
      !namespace && !repository && !state && !attention ? (
        <EmptyState
          missing="data"
          title="No workspaces yet"
          description="A run on a repository the backend knows gets a workspace; so does a provision or link above. It shows up here."
        />
      ) : (
        <EmptyState
          missing="data"
          title="No workspaces match these filters"
          description="Clear a filter to see more workspaces."
        />
      );
  } else {
    body = (
      <Paper>
        <WorkspacesTable workspaces={rows} />
      </Paper>
    );
  }

  return (
    <Page themeId="tool">
      <Header
        title="Agent workspaces"
        subtitle="Git worktrees agents work in"
      />
      <AgentsNav />
      <Content>
        <ContentHeader title="Workspaces">
          <Box display="flex" gridGap={8}>
            <Button
              variant="contained"
              color="primary"
              onClick={() => setCreating('provision')}
            >
              Provision workspace
            </Button>
            <Button
              variant="outlined"
              onClick={() => setCreating('link-existing')}
            >
              Link existing path
            </Button>
          </Box>
        </ContentHeader>
        {creating && (
          <NewWorkspaceDialog
            action={creating}
            namespace={defaultOrg}
            onClose={() => setCreating(undefined)}
          />
        )}
        <Box
          display="flex"
          flexWrap="wrap"
          alignItems="center"
          gridGap={16}
          mb={2}
        >
          <OrgSwitcher
            seen={workspaces.value?.items.map(w => w.metadata.namespace)}
          />
          {repository && (
            <Chip
              label={`Repository ${repository}`}
              onDelete={() => setParam('repository', undefined)}
            />
          )}
          <FilterChoice
            idPrefix="workspaces-filter"
            label="State"
            value={state}
            options={WORKSPACE_STATES}
            onChange={value => setParam('state', value)}
          />
          <FilterChoice
            idPrefix="workspaces-filter"
            label="Attention"
            value={attention}
            options={['any', ...ATTENTION_FLAGS]}
            onChange={value => setParam('attention', value)}
          />
        </Box>
        {!workspaces.loading && workspaces.value && (
          <Box mb={1}>
            <LiveStatus
              what="workspaces"
              error={workspaces.error}
              updatedAt={workspaces.updatedAt}
              mode={workspaces.mode}
              intervalMs={workspaces.intervalMs}
            />
          </Box>
        )}
        {body}
      </Content>
    </Page>
  );
};
