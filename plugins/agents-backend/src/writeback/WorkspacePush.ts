import { WriteBackError } from '@krate/plugin-agents-node';
import { WriteBackResult } from '@krate/plugin-agents-common';
import { GitCredentials } from '../repositories/GitCredentials';
import { redactUrls } from '../repositories/repositoryUrl';
import { GitCli, GitError } from '../workspaces/GitCli';
import { RUN_MEMORY_PATH } from './workspacePatch';

/** Who write-back commits are made as: the product, not a person and not the agent's own say. */
export const COMMIT_IDENTITY = {
  GIT_AUTHOR_NAME: 'Krate Agents',
  GIT_AUTHOR_EMAIL: 'agents@krate.invalid',
  GIT_COMMITTER_NAME: 'Krate Agents',
  GIT_COMMITTER_EMAIL: 'agents@krate.invalid',
};

/**
 * Git work of a write-back in a workspace: committing the reviewed uncommitted changes, and
 * pushing a commit to a branch of the repository's remote, with credentials that reach git only
 * through its environment.
 */
export class WorkspacePush {
  readonly #git: GitCli;

  constructor(git: GitCli) {
    this.#git = git;
  }

  /**
   * Commits the worktree's uncommitted changes (ignored files left out) as the artifact's commit,
   * leaving the workspace clean; answers HEAD (unchanged when nothing was uncommitted).
   */
  async commitUncommitted(worktree: string, message: string): Promise<string> {
    await this.#git.run(worktree, [
      'add',
      '--all',
      '--',
      '.',
      `:(exclude)${RUN_MEMORY_PATH}`,
    ]);
    const staged = await this.#git
      .run(worktree, ['diff', '--cached', '--quiet'])
      .then(() => false)
      .catch(error => {
        if (error instanceof GitError && error.exitCode === 1) {
          return true;
        }
        throw error;
      });
    if (staged) {
      await this.#git.run(
        worktree,
        [
          '-c',
          'commit.gpgsign=false',
          '-c',
          'core.hooksPath=/dev/null',
          'commit',
          '--quiet',
          '--no-verify',
          '-m',
          message,
        ],
        COMMIT_IDENTITY,
      );
    }
    return (await this.#git.run(worktree, ['rev-parse', 'HEAD'])).trim();
  }

  /**
   * Makes `branch` of the remote point at `commit`: nothing to do when it does already, a
   * fast-forward push otherwise. A branch that moved elsewhere is refused, never overwritten.
   */
  async push(options: {
    worktree: string;
    remote: string;
    commit: string;
    branch: string;
    credentials?: GitCredentials;
  }): Promise<WriteBackResult> {
    const { worktree, remote, commit, branch } = options;
    const env = options.credentials?.envFor(remote) ?? {};
    const result: WriteBackResult = {
      target: 'git',
      operation: 'branch',
      ref: commit,
      remote: redactUrls(remote),
    };
    const current = await this.#remoteBranch(worktree, remote, branch, env);
    if (current === commit) {
      return result;
    }
    try {
      await this.#git.run(
        worktree,
        ['push', '--quiet', '--', remote, `${commit}:refs/heads/${branch}`],
        { GIT_TERMINAL_PROMPT: '0', ...env },
      );
    } catch (error) {
      const message = redactUrls(
        error instanceof GitError ? error.stderr.trim() : String(error),
      );
      if (/non-fast-forward|fetch first|rejected/i.test(message)) {
        throw new WriteBackError(
          `Branch ${branch} on the remote has commits this artifact does not; push to another branch`,
        );
      }
      throw new WriteBackError(`git push to ${branch} failed: ${message}`, {
        retryable: !/denied|403|401|authentication/i.test(message),
      });
    }
    return result;
  }

  async #remoteBranch(
    worktree: string,
    remote: string,
    branch: string,
    env: Record<string, string>,
  ): Promise<string | undefined> {
    try {
      const out = await this.#git.run(
        worktree,
        ['ls-remote', '--', remote, `refs/heads/${branch}`],
        { GIT_TERMINAL_PROMPT: '0', ...env },
      );
      return out.split('\t')[0]?.trim() || undefined;
    } catch (error) {
      throw new WriteBackError(
        `Cannot reach the remote of the repository: ${redactUrls(
          error instanceof GitError ? error.stderr.trim() : String(error),
        )}`,
        { retryable: true },
      );
    }
  }
}
