import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { agentsApiRef } from '../../api';
import { MemoryFrame } from '../MemoryFrame';
import { ResolvedCommit, useMemoryPoint } from '../MemoryTimeTravel';
import { MemoryCommitCard } from './MemoryCommitCard';
import { MemoryRootCard } from './MemoryRootCard';
import { OntologyCard } from './OntologyCard';
import { PendingUpdatesCard } from './PendingUpdatesCard';
import { RecordCountsCard } from './RecordCountsCard';
import { StaleRecordsCard } from './StaleRecordsCard';

const MemoryOverview = ({ org }: { org: string }) => {
  const agentsApi = useApi(agentsApiRef);
  const point = useMemoryPoint();
  const status = useAsyncRetry(
    () => agentsApi.getMemoryStatus(org, point),
    [agentsApi, org, point],
  );
  if (status.error) {
    return (
      <ResponseErrorPanel
        title={`Could not read the memory of ${org}`}
        error={status.error}
      />
    );
  }
  // For one render after the org or point changes the hook holds neither value nor error.
  if (status.loading || !status.value) return <Progress />;
  const value = status.value;
  return (
    <>
      <Box mb={2}>
        <ResolvedCommit resolved={value.resolved} />
      </Box>
      <Grid container spacing={3}>
        <Grid item xs={12} md={6}>
          <MemoryCommitCard status={value} />
        </Grid>
        <Grid item xs={12} md={6}>
          {value.records > 0 ? (
            <RecordCountsCard status={value} />
          ) : (
            <EmptyState
              missing="data"
              title="No records at this commit"
              description="Records are the Markdown files of the memory repository; none were there at this point."
            />
          )}
        </Grid>
        <Grid item xs={12} md={4}>
          <PendingUpdatesCard org={org} pending={value.pendingUpdates} />
        </Grid>
        <Grid item xs={12} md={8}>
          <StaleRecordsCard org={org} stale={value.stale} />
        </Grid>
        <Grid item xs={12}>
          <OntologyCard ontology={value.ontology} />
        </Grid>
        <Grid item xs={12}>
          <MemoryRootCard org={org} point={point} />
        </Grid>
      </Grid>
    </>
  );
};

/** An org's memory at one commit: where it is read, its records by kind and its ontology. */
export const MemoryOverviewPage = () => (
  <MemoryFrame title="Memory">
    {org => <MemoryOverview org={org} />}
  </MemoryFrame>
);
