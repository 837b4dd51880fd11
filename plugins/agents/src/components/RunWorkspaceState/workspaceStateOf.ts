import { AgentWorkspace } from '@krate/plugin-agents-common';

/** The spec's workspace states a run page warns about, most urgent first. */
export type RunWorkspaceProblem =
  | { state: 'WorkspaceMissing'; recordGone: boolean }
  | { state: 'WorkspaceConflicts'; files: string[] }
  | { state: 'WorkspaceRebaseNeeded'; behind: number; onto?: string };

/** What is wrong with the run's workspace, or undefined when nothing is. */
export function workspaceStateOf(
  workspace: AgentWorkspace | undefined,
): RunWorkspaceProblem | undefined {
  if (!workspace) return { state: 'WorkspaceMissing', recordGone: true };
  const { status = {} } = workspace;
  if (status.state === 'missing' || status.pathMissing) {
    return { state: 'WorkspaceMissing', recordGone: false };
  }
  const git = status.git ?? {};
  if (git.rebaseInProgress || git.conflictingFiles?.length) {
    return { state: 'WorkspaceConflicts', files: git.conflictingFiles ?? [] };
  }
  if ((git.behind ?? 0) > 0) {
    return {
      state: 'WorkspaceRebaseNeeded',
      behind: git.behind!,
      onto: git.trackingBranch,
    };
  }
  return undefined;
}
