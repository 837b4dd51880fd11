import { promises as fs } from 'node:fs';
import { GitCli } from './GitCli';

/** The git part of an AgentWorkspace status. */
export interface WorkspaceGit {
  branch?: string;
  headSha?: string;
  trackingBranch?: string;
  ahead?: number;
  behind?: number;
  dirty?: boolean;
  uncommittedCount?: number;
  conflictingFiles?: string[];
  rebaseInProgress?: boolean;
}

/** What the controller reads from a workspace path into AgentWorkspace status. */
export interface WorkspaceGitState {
  pathMissing: boolean;
  git?: WorkspaceGit;
  lastActivityTime?: string;
}

/**
 * Reads the git state of a workspace path. A path that does not exist, or that is no longer a
 * git work tree, is reported as missing; nothing here ever changes the path.
 */
export async function readWorkspaceGitState(
  git: GitCli,
  workspacePath: string,
): Promise<WorkspaceGitState> {
  try {
    const stat = await fs.stat(workspacePath);
    if (!stat.isDirectory()) {
      return { pathMissing: true };
    }
  } catch {
    return { pathMissing: true };
  }
  if (!(await git.isWorkTreeRoot(workspacePath))) {
    return { pathMissing: true };
  }
  const [status, rebaseInProgress, lastActivityTime] = await Promise.all([
    git.status(workspacePath),
    git.rebaseInProgress(workspacePath),
    git.lastCommitTime(workspacePath),
  ]);
  return {
    pathMissing: false,
    lastActivityTime,
    git: {
      ...(status.branch ? { branch: status.branch } : {}),
      ...(status.headSha ? { headSha: status.headSha } : {}),
      ...(status.upstream ? { trackingBranch: status.upstream } : {}),
      ahead: status.ahead,
      behind: status.behind,
      dirty: status.uncommittedCount > 0,
      uncommittedCount: status.uncommittedCount,
      conflictingFiles: status.conflictingFiles,
      rebaseInProgress,
    },
  };
}
