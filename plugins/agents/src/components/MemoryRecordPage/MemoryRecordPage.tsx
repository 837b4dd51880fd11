import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useSearchParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { agentsApiRef } from '../../api';
import { useMemoryLinks } from '../../hooks/useMemoryLinks';
import { statusOf } from '../../lib/serverMessage';
import { MemoryFrame } from '../MemoryFrame';
import { MemoryIssuesTable } from '../MemoryIssuesTable';
import { ResolvedCommit, useMemoryPoint } from '../MemoryTimeTravel';
import { RecordContent } from './RecordContent';
import { RecordEdges } from './RecordEdges';
import { RecordSummary } from './RecordSummary';

const MemoryRecordView = ({ org, id }: { org: string; id: string }) => {
  const agentsApi = useApi(agentsApiRef);
  const point = useMemoryPoint();
  const links = useMemoryLinks(org);
  const answer = useAsyncRetry(
    () => agentsApi.getMemoryRecord(org, id, point),
    [agentsApi, org, id, point],
  );
  if (answer.error) {
    // A record the reader may not see is answered like a missing one, on purpose.
    return statusOf(answer.error) === 404 ? (
      <EmptyState
        missing="info"
        title={`No record ${id} here`}
        description="It is not in the memory at this point in time, or you may not read it."
        action={<Link to={links.search()}>Search the memory</Link>}
      />
    ) : (
      <ResponseErrorPanel
        title={`Could not read the record ${id}`}
        error={answer.error}
      />
    );
  }
  if (answer.loading || !answer.value) return <Progress />;
  const { record, content, issues } = answer.value;
  return (
    <>
      <Box mb={2}>
        <ResolvedCommit resolved={answer.value.resolved} />
      </Box>
      <Grid container spacing={3}>
        <Grid item xs={12} md={6}>
          <RecordSummary org={org} answer={answer.value} />
        </Grid>
        <Grid item xs={12} md={6}>
          <RecordEdges org={org} record={record} />
        </Grid>
        <Grid item xs={12}>
          <InfoCard title="Issues">
            {issues.length ? (
              <MemoryIssuesTable issues={issues} label="Record issues" />
            ) : (
              <Typography variant="body2" color="textSecondary">
                No issues: the record follows the ontology.
              </Typography>
            )}
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <RecordContent
            org={org}
            path={record.path}
            body={record.body}
            content={content}
          />
        </Grid>
      </Grid>
    </>
  );
};

/** One memory record at one commit: its front matter, edges, issues and file as written. */
export const MemoryRecordPage = () => {
  const [searchParams] = useSearchParams();
  const id = searchParams.get('id');
  return (
    <MemoryFrame title="Memory record">
      {org =>
        id ? (
          <MemoryRecordView org={org} id={id} />
        ) : (
          <EmptyState
            missing="info"
            title="No record chosen"
            description="Open a record from a search result or the graph."
          />
        )
      }
    </MemoryFrame>
  );
};
