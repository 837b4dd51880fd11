import { Content, Header, Page, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { AgentStack } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import { useParams } from 'react-router-dom';
import { agentsApiRef } from '../../api';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { useLivePolling } from '../../hooks/useLivePolling';
import { isObject } from '../../hooks/useLiveRefresh';
import { AgentsNav } from '../AgentsNav';
import { ResourceBreadcrumbs } from '../ResourceBreadcrumbs';
import { ResourceUnavailable } from '../ResourceUnavailable';
import { LiveStatus } from '../LiveStatus';
import { StackCostCard } from '../StackCostCard';
import { StackActions } from './StackActions';
import { StackOverview } from './StackOverview';
import { StackProfile } from './StackProfile';
import { StackReadiness } from './StackReadiness';
import { StackRecentRuns } from './StackRecentRuns';

export interface StackDetailPageProps {
  pollIntervalMs?: number;
}

/**
 * One AgentStack: the controller's readiness and reasons, what the stack says, the effective
 * launch profile runs snapshot, its recent runs, and the way to edit, dispatch or export it.
 */
export const StackDetailPage = ({
  pollIntervalMs = 10_000,
}: StackDetailPageProps) => {
  const agentsApi = useApi(agentsApiRef);
  const paths = useAgentsPaths();
  const { namespace = '', name = '' } = useParams();
  const stack = useLivePolling(
    async () =>
      (await agentsApi.getResource(
        'agentstacks',
        namespace,
        name,
      )) as unknown as AgentStack,
    [agentsApi, namespace, name],
    {
      kinds: ['AgentStack'],
      matches: isObject(namespace, name),
      intervalMs: pollIntervalMs,
    },
  );

  let body;
  if (stack.loading) {
    body = <Progress />;
  } else if (!stack.value) {
    body = (
      <ResourceUnavailable
        error={stack.error}
        missingTitle={`No stack ${namespace}/${name}`}
        errorTitle={`Could not read stack ${namespace}/${name}`}
        list={{ label: 'All stacks', to: paths.stacks }}
      />
    );
  } else {
    const current = stack.value;
    body = (
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <Box display="flex" flexDirection="column" gridGap={8}>
            <StackActions stack={current} />
            <LiveStatus
              what="the stack"
              error={stack.error}
              updatedAt={stack.updatedAt}
              mode={stack.mode}
              intervalMs={stack.intervalMs}
            />
          </Box>
        </Grid>
        <Grid item xs={12} md={6}>
          <StackReadiness stack={current} />
        </Grid>
        <Grid item xs={12} md={6}>
          <StackOverview stack={current} />
        </Grid>
        <Grid item xs={12}>
          <StackRecentRuns
            namespace={namespace}
            stack={name}
            pollIntervalMs={pollIntervalMs}
          />
        </Grid>
        <Grid item xs={12}>
          <StackCostCard
            namespace={namespace}
            stack={name}
            owner={current.spec.owner}
          />
        </Grid>
        <Grid item xs={12}>
          <StackProfile stack={current} />
        </Grid>
      </Grid>
    );
  }

  return (
    <Page themeId="tool">
      <Header
        title={name}
        type="Agent stack"
        subtitle={stack.value?.spec.description}
      />
      <AgentsNav />
      <Content>
        <Box mb={2}>
          <ResourceBreadcrumbs
            label="Stack breadcrumbs"
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
