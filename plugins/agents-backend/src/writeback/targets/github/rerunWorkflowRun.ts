import { WriteBackError } from '@krate/plugin-agents-node';
import { ForgeOperation } from '../forge/ForgeOperation';
import { GithubRepositoryApi } from './GithubRepositoryApi';

/** The statuses of a run that is waiting for or on a runner: re-running it again is pointless. */
const LIVE_STATUSES = new Set([
  'queued',
  'in_progress',
  'pending',
  'waiting',
  'requested',
]);

/**
 * `workflow-rerun`: re-runs workflow run `workflowRunId`. A re-run leaves no marker to find, so
 * the idempotency rule is the run's status: a run that is queued or in progress counts as
 * re-run already (an earlier try's re-run whose answer was lost, or another's) and is returned
 * without posting; a finished run is re-run. GitHub refusing with "already running" (a re-run
 * landed between the two calls) counts as done too. The cost of the rule: a run that was still
 * going when the write-back was asked for is not re-run after it finishes.
 */
export const rerunWorkflowRun: ForgeOperation<GithubRepositoryApi> = async (
  api,
  request,
  target,
) => {
  const id = request.operation.workflowRunId;
  if (!id) {
    throw new WriteBackError(
      'A workflow-rerun write-back needs the workflow run id',
    );
  }
  const run = await api.getWorkflowRun(id);
  if (!LIVE_STATUSES.has(run.status ?? '')) {
    await api.rerunWorkflowRun(id);
  }
  return [
    {
      target: target.id,
      operation: 'workflow-rerun',
      ref: String(run.id),
      url: run.html_url,
    },
  ];
};
