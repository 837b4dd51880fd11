import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { agentsApiRef } from '../../api';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { useLivePolling } from '../../hooks/useLivePolling';
import { isObject } from '../../hooks/useLiveRefresh';
import { serverMessage, statusOf } from '../../lib/serverMessage';
import { workspaceStateOf } from './workspaceStateOf';

export interface RunWorkspaceStateProps {
  namespace: string;
  workspace: string;
  pollIntervalMs?: number;
}

/**
 * Warns on a run page when the run's workspace is missing, behind its tracking branch or stuck in
 * rebase conflicts, and links to the workspace page, where its recover, relink and rebase
 * actions are. Says nothing while the workspace is fine.
 */
export const RunWorkspaceState = ({
  namespace,
  workspace,
  pollIntervalMs,
}: RunWorkspaceStateProps) => {
  const agentsApi = useApi(agentsApiRef);
  const paths = useAgentsPaths();
  const read = useLivePolling(
    () =>
      agentsApi.getWorkspace(namespace, workspace).catch(error => {
        if (statusOf(error) === 404) return undefined;
        throw error;
      }),
    [agentsApi, namespace, workspace],
    {
      kinds: ['AgentWorkspace'],
      matches: isObject(namespace, workspace),
      intervalMs: pollIntervalMs,
    },
  );
  if (read.loading) return null;
  if (read.error && !read.value) {
    return (
      <Alert severity="warning">
        Could not read the run's workspace {workspace}:{' '}
        {serverMessage(read.error)}
      </Alert>
    );
  }

  const problem = workspaceStateOf(read.value);
  const page = (
    <Link to={paths.workspace(namespace, workspace)}>
      workspace {workspace}
    </Link>
  );
  switch (problem?.state) {
    case 'WorkspaceMissing':
      return (
        <Alert severity="error" aria-label="WorkspaceMissing">
          <AlertTitle>Workspace missing</AlertTitle>
          {problem.recordGone ? (
            <>
              The run's workspace {workspace} no longer exists; a retry gets a
              new working directory. See the{' '}
              <Link to={paths.workspaces({ state: 'missing' })}>
                missing workspaces
              </Link>
              .
            </>
          ) : (
            <>
              The path of {page} is gone. Recover it, relink it to another path,
              archive or clean it up on the workspace page.
            </>
          )}
        </Alert>
      );
    case 'WorkspaceConflicts':
      return (
        <Alert severity="warning" aria-label="WorkspaceConflicts">
          <AlertTitle>Rebase conflicts</AlertTitle>
          {problem.files.length
            ? `Conflicting files: ${problem.files.join(', ')}. `
            : 'A rebase is in progress. '}
          Resolve them on the {page}: mark resolved, auto-resolve, open in the
          editor or abort.
        </Alert>
      );
    case 'WorkspaceRebaseNeeded':
      return (
        <Alert severity="info" aria-label="WorkspaceRebaseNeeded">
          <AlertTitle>Rebase needed</AlertTitle>
          The {page} is {problem.behind} commit{problem.behind === 1 ? '' : 's'}{' '}
          behind {problem.onto ?? 'its tracking branch'}; rebase it from the
          workspace page.
        </Alert>
      );
    default:
      return null;
  }
};
