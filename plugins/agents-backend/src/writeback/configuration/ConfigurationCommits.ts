import { WriteBackError } from '@krate/plugin-agents-node';
import { WriteBackResult } from '@krate/plugin-agents-common';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GitCredentials } from '../../repositories/GitCredentials';
import { redactUrls } from '../../repositories/repositoryUrl';
import { GitCli, GitError } from '../../workspaces/GitCli';
import { COMMIT_IDENTITY, WorkspacePush } from '../WorkspacePush';

export interface ConfigurationCommit {
  remote: string;
  credentials?: GitCredentials;
  /** The branch the commit builds on; default the remote's HEAD. */
  base?: string;
  branch: string;
  /** The file's path in the repository. */
  file: string;
  content: string;
  message: string;
}

/**
 * Puts one file on a branch of a remote: fetches the tip of the base branch alone (depth 1) into
 * a scratch repository, commits the file on it with git plumbing (no work tree, no hooks) and
 * pushes the commit. A branch that holds the same file content already is taken as pushed, so a
 * retry after a crash does not push a second commit.
 */
export class ConfigurationCommits {
  readonly #git: GitCli;
  readonly #push: WorkspacePush;

  constructor(git: GitCli) {
    this.#git = git;
    this.#push = new WorkspacePush(git);
  }

  async push(commit: ConfigurationCommit): Promise<WriteBackResult> {
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'krate-proposal-'));
    try {
      await this.#git.run(scratch, ['init', '--quiet', '--bare']);
      const env = {
        GIT_TERMINAL_PROMPT: '0',
        ...(commit.credentials?.envFor(commit.remote) ?? {}),
      };
      const pushed = await this.#fetch(
        scratch,
        commit,
        `refs/heads/${commit.branch}`,
        env,
      );
      if (pushed) {
        const held = await this.#git
          .run(scratch, ['show', `${pushed}:${commit.file}`])
          .catch(() => undefined);
        if (held === commit.content) {
          return {
            target: 'git',
            operation: 'branch',
            ref: pushed,
            remote: redactUrls(commit.remote),
          };
        }
        throw new WriteBackError(
          `Branch ${commit.branch} on the remote holds another version of ${commit.file}; propose on another branch`,
        );
      }
      const baseRef = commit.base
        ? `refs/heads/${commit.base}`
        : await this.#remoteHead(scratch, commit.remote, env);
      const base = baseRef
        ? await this.#fetch(scratch, commit, baseRef, env)
        : undefined;
      if (commit.base && !base) {
        throw new WriteBackError(
          `Branch ${commit.base} does not exist on the configuration repository's remote`,
        );
      }
      const created = await this.#commitFile(scratch, commit, base);
      return await this.#push.push({
        worktree: scratch,
        remote: commit.remote,
        commit: created,
        branch: commit.branch,
        credentials: commit.credentials,
      });
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  /** Fetches the tip of `ref` alone; undefined when the remote has no such ref. */
  async #fetch(
    scratch: string,
    commit: ConfigurationCommit,
    ref: string,
    env: Record<string, string>,
  ): Promise<string | undefined> {
    const listed = await this.#lsRemote(scratch, [commit.remote, ref], env);
    const sha = listed.split('\t')[0]?.trim();
    if (!sha) {
      return undefined;
    }
    await this.#git
      .run(
        scratch,
        ['fetch', '--quiet', '--depth=1', '--', commit.remote, ref],
        env,
      )
      .catch(error => {
        throw new WriteBackError(
          `Cannot fetch ${ref} of the configuration repository: ${message(
            error,
          )}`,
          { retryable: true },
        );
      });
    return sha;
  }

  /** The branch the remote's HEAD points at; undefined for an empty repository. */
  async #remoteHead(
    scratch: string,
    remote: string,
    env: Record<string, string>,
  ): Promise<string | undefined> {
    const out = await this.#lsRemote(scratch, [remote, 'HEAD'], env, [
      '--symref',
    ]);
    return /^ref:\s+(\S+)\s+HEAD$/m.exec(out)?.[1];
  }

  #lsRemote(
    scratch: string,
    [remote, ref]: [string, string],
    env: Record<string, string>,
    options: string[] = [],
  ): Promise<string> {
    return this.#git
      .run(scratch, ['ls-remote', ...options, '--', remote, ref], env)
      .catch(error => {
        throw new WriteBackError(
          `Cannot reach the configuration repository's remote: ${message(
            error,
          )}`,
          { retryable: true },
        );
      });
  }

  async #commitFile(
    scratch: string,
    commit: ConfigurationCommit,
    base: string | undefined,
  ): Promise<string> {
    const contentFile = path.join(scratch, 'proposed-content');
    await writeFile(contentFile, commit.content, 'utf8');
    const blob = (
      await this.#git.run(scratch, ['hash-object', '-w', '--', contentFile])
    ).trim();
    const index = { GIT_INDEX_FILE: path.join(scratch, 'proposal-index') };
    if (base) {
      await this.#git.run(scratch, ['read-tree', base], index);
    }
    await this.#git.run(
      scratch,
      ['update-index', '--add', '--cacheinfo', `100644,${blob},${commit.file}`],
      index,
    );
    const tree = (await this.#git.run(scratch, ['write-tree'], index)).trim();
    if (base) {
      const baseTree = (
        await this.#git.run(scratch, ['rev-parse', `${base}^{tree}`])
      ).trim();
      if (baseTree === tree) {
        throw new WriteBackError(
          `${commit.file} already holds exactly this YAML on the base branch: there is nothing to propose`,
        );
      }
    }
    return (
      await this.#git.run(
        scratch,
        [
          'commit-tree',
          tree,
          ...(base ? ['-p', base] : []),
          '-m',
          commit.message,
        ],
        COMMIT_IDENTITY,
      )
    ).trim();
  }
}

function message(error: unknown) {
  return redactUrls(
    error instanceof GitError ? error.stderr.trim() : String(error),
  );
}
