import {
  Content,
  Header,
  InfoCard,
  Link,
  Page,
  Progress,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useParams } from 'react-router-dom';
import { agentsApiRef } from '../../api';
import { useLivePolling } from '../../hooks/useLivePolling';
import { isObject } from '../../hooks/useLiveRefresh';
import { shortSha } from '../../lib/commitText';
import { AgentsNav } from '../AgentsNav';
import { DiffViewer } from '../DiffViewer';
import { LiveStatus } from '../LiveStatus';
import { MemoryIssuesTable } from '../MemoryIssuesTable';
import { useMemoryUpdatePaths } from '../MemoryUpdatesPage';
import { ResourceUnavailable } from '../ResourceUnavailable';
import { MemoryUpdateActions } from './MemoryUpdateActions';
import { MemoryUpdateReviews } from './MemoryUpdateReviews';
import { MemoryUpdateSummary } from './MemoryUpdateSummary';

export interface MemoryUpdatePageProps {
  pollIntervalMs?: number;
}

/**
 * One proposed memory update: what it changes (the diff), whether the ontology accepts it, who
 * reviewed it, and approve, reject and merge for reviewers.
 */
export const MemoryUpdatePage = ({
  pollIntervalMs = 5000,
}: MemoryUpdatePageProps) => {
  const { org = '', name = '' } = useParams();
  const agentsApi = useApi(agentsApiRef);
  const paths = useMemoryUpdatePaths();
  const update = useLivePolling(
    () => agentsApi.getMemoryUpdate(org, name),
    [agentsApi, org, name],
    {
      kinds: ['AgentMemoryUpdate'],
      matches: isObject(org, name),
      intervalMs: pollIntervalMs,
    },
  );

  let body;
  if (update.loading) {
    body = <Progress />;
  } else if (!update.value) {
    body = (
      <ResourceUnavailable
        error={update.error}
        missingTitle={`No memory update ${name} in ${org}`}
        errorTitle="Could not read the memory update"
        list={{ label: 'Memory updates', to: paths.list(org) }}
      />
    );
  } else {
    const current = update.value;
    const validation = current.status?.validation;
    body = (
      <>
        <Box mb={1}>
          <LiveStatus
            what="the proposal"
            error={update.error}
            updatedAt={update.updatedAt}
            mode={update.mode}
            intervalMs={update.intervalMs}
          />
        </Box>
        <Grid container spacing={3}>
          <Grid item xs={12} md={7}>
            <MemoryUpdateSummary update={current} />
          </Grid>
          <Grid item xs={12} md={5}>
            <Box display="flex" flexDirection="column" gridGap={24}>
              <MemoryUpdateActions
                update={current}
                onChanged={() => update.refresh()}
              />
              <MemoryUpdateReviews update={current} />
            </Box>
          </Grid>
          <Grid item xs={12}>
            <InfoCard title="Validation">
              {!validation && (
                <Typography variant="body2" color="textSecondary">
                  Not validated yet.
                </Typography>
              )}
              {validation && validation.issues.length === 0 && (
                <Typography variant="body2">
                  Valid: the memory at{' '}
                  <code>{shortSha(validation.commit)}</code> with this patch
                  follows its ontology.
                </Typography>
              )}
              {validation && validation.issues.length > 0 && (
                <>
                  <Typography variant="body2" paragraph>
                    Checked on <code>{shortSha(validation.commit)}</code>: the
                    patch would bring these issues.
                  </Typography>
                  <MemoryIssuesTable
                    issues={validation.issues}
                    label="Validation issues"
                  />
                </>
              )}
            </InfoCard>
          </Grid>
          <Grid item xs={12}>
            <InfoCard title="Changes">
              <DiffViewer diff={current.spec.patch} title="Proposed patch" />
            </InfoCard>
          </Grid>
        </Grid>
      </>
    );
  }

  return (
    <Page themeId="tool">
      <Header
        title={update.value?.spec.title ?? name}
        type="Memory update"
        subtitle={`Proposed update to the memory of ${org}`}
      />
      <AgentsNav />
      <Content>
        <Box mb={2}>
          <Link to={paths.list(org)}>All memory updates of {org}</Link>
        </Box>
        {body}
      </Content>
    </Page>
  );
};
