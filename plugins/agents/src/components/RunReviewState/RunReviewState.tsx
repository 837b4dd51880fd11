import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { AgentDispatchRun } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import useAsync from 'react-use/esm/useAsync';
import { agentsApiRef } from '../../api';

/** The run's `status.review.state` when a pull request review requested changes. */
export const REVIEW_CHANGES_REQUESTED = 'ReviewChangesRequested';

export interface RunReviewStateProps {
  run: AgentDispatchRun;
}

/**
 * Warns on a run page when a review of the pull request the run opened requested changes: the
 * server's message says which review, and the pull request is linked from the artifact the
 * review marked. Says nothing otherwise.
 */
export const RunReviewState = ({ run }: RunReviewStateProps) => {
  const agentsApi = useApi(agentsApiRef);
  const review = run.status?.review;
  const message = review?.message;
  // A follow-up that went on to finish resolves the review; while one runs it still shows.
  const active = review?.state === REVIEW_CHANGES_REQUESTED;
  const { name, namespace } = run.metadata;

  // The banner stands without the link: a failed read only leaves the link out.
  const pullRequest = useAsync(async () => {
    if (!active) return undefined;
    const { items } = await agentsApi.listArtifacts(namespace, name);
    const marked = [...items]
      .reverse()
      .find(a => a.status?.state === 'changes-requested');
    const found = marked?.status?.results?.find(
      r => r.operation === 'pull-request',
    );
    return (
      found ??
      (review?.url
        ? { url: review.url, ref: String(review.pullRequest) }
        : undefined)
    );
  }, [agentsApi, namespace, name, active, message]);

  if (!active) return null;
  const found = pullRequest.value;
  return (
    <Box mb={2}>
      <Alert severity="warning" aria-label={REVIEW_CHANGES_REQUESTED}>
        <AlertTitle>
          Changes requested on pull request
          {found?.url ? (
            <>
              {' '}
              <Link to={found.url} target="_blank" rel="noopener noreferrer">
                {found.ref ? `#${found.ref}` : found.url}
              </Link>
            </>
          ) : (
            ''
          )}
        </AlertTitle>
        {message ? `${message} ` : ''}
        The artifact stays marked changes requested and is not written back
        until a follow-up resolves the review.
      </Alert>
    </Box>
  );
};
