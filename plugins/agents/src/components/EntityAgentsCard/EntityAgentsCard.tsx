import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  AGENTS_REPOSITORY_ANNOTATION,
  getAgentsRepositoryRef,
} from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { agentsApiRef } from '../../api';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { useLivePolling } from '../../hooks/useLivePolling';
import { inNamespace } from '../../hooks/useLiveRefresh';
import { LiveStatus } from '../LiveStatus';
import { RunPhaseChip } from '../RunPhaseChip';

const RECENT = 5;

/** Props of {@link EntityAgentsCard}. @public */
export interface EntityAgentsCardProps {
  pollIntervalMs?: number;
}

/** A catalog entity's recent agent runs and the approvals they wait on. */
export const EntityAgentsCard = ({
  pollIntervalMs = 5000,
}: EntityAgentsCardProps) => {
  const { entity } = useEntity();
  const ref = getAgentsRepositoryRef(entity);
  const agentsApi = useApi(agentsApiRef);
  const paths = useAgentsPaths();
  const org = ref?.org ?? '';
  const repository = ref ? `${ref.org}/${ref.repository}` : '';
  const data = useLivePolling(
    async () => {
      if (!ref) return undefined;
      const [runs, approvals] = await Promise.all([
        agentsApi.listRuns({ namespace: org, repository, limit: RECENT }),
        agentsApi.listApprovals({
          namespace: org,
          phase: 'pending',
          limit: 500,
        }),
      ]);
      return {
        runs: runs.items,
        approvals: approvals.items.filter(
          a => a.spec.repository === repository,
        ),
      };
    },
    [agentsApi, org, repository],
    {
      kinds: ['AgentDispatchRun', 'AgentApproval'],
      matches: inNamespace(org),
      intervalMs: pollIntervalMs,
    },
  );

  if (!ref) {
    return (
      <MissingAnnotationEmptyState annotation={AGENTS_REPOSITORY_ANNOTATION} />
    );
  }

  let body;
  if (data.loading) {
    body = <Progress />;
  } else if (!data.value) {
    body = (
      <ResponseErrorPanel
        title="Could not read agent runs"
        error={data.error!}
      />
    );
  } else {
    const { runs, approvals } = data.value;
    const inbox = paths.approvals({ namespace: org });
    body = (
      <>
        <LiveStatus
          what="runs"
          error={data.error}
          updatedAt={data.updatedAt}
          mode={data.mode}
          intervalMs={data.intervalMs}
        />
        <Typography variant="subtitle2">Recent runs</Typography>
        {runs.length === 0 ? (
          <Typography variant="body2" color="textSecondary">
            No agent runs on {repository} yet.
          </Typography>
        ) : (
          <List dense aria-label="Recent runs">
            {runs.map(run => (
              <ListItem key={run.metadata.name} disableGutters>
                <Box mr={1}>
                  <RunPhaseChip
                    phase={run.status?.phase}
                    reason={run.status?.reason}
                  />
                </Box>
                <ListItemText
                  primary={
                    <Link to={paths.run(run.metadata.name)}>
                      {run.metadata.name}
                    </Link>
                  }
                  secondary={run.spec.stack}
                />
              </ListItem>
            ))}
          </List>
        )}
        <Typography variant="subtitle2" style={{ marginTop: 8 }}>
          Pending approvals:{' '}
          <Link to={inbox} aria-label={`${approvals.length} pending approvals`}>
            {approvals.length}
          </Link>
        </Typography>
        {approvals.length > 0 && (
          <List dense aria-label="Pending approvals">
            {approvals.map(approval => (
              <ListItem key={approval.metadata.name} disableGutters>
                <ListItemText
                  primary={
                    <Link to={inbox}>
                      {approval.spec.actionClass}: {approval.spec.target}
                    </Link>
                  }
                  secondary={approval.spec.run}
                />
              </ListItem>
            ))}
          </List>
        )}
      </>
    );
  }

  return (
    <InfoCard
      title="Agents"
      subheader={repository}
      deepLink={{
        title: 'All runs',
        link: paths.runs({ namespace: org, repository }),
      }}
    >
      {body}
    </InfoCard>
  );
};
