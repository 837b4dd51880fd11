import { ConflictError } from '@backstage/errors';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GitError } from '../../workspaces/GitCli';
import { parseCatFileBatch } from '../git/catFileBatch';
import { GitRun, runGit, RunGitOptions } from '../git/runGit';
import { canonicalDiffArgs } from '../../workspaces/canonicalDiff';

/** What a plumbing command takes besides its arguments. */
type PlumbingOptions = Pick<RunGitOptions, 'env' | 'input' | 'okExitCodes'>;

const PLUMBING_TIMEOUT_MS = 60_000;
/** A diff of a proposal is at most a megabyte; trees and logs are far smaller. */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/** A file of a proposal: its whole new content, or null to delete it. */
export interface FileChange {
  path: string;
  content: string | null;
}

export interface TreeChange {
  path: string;
  change: 'added' | 'modified' | 'deleted';
}

/** Who a commit is by, and when. */
export interface CommitIdentity {
  name: string;
  email: string;
}

export type ApplyResult =
  | { applied: true; tree: string }
  | { applied: false; message: string };

const CHANGE_OF_STATUS: Record<string, TreeChange['change']> = {
  A: 'added',
  D: 'deleted',
};

/**
 * The writing side of a memory repository (bare or not), in git plumbing only: every change is
 * made in a temporary index and written as objects, so no work tree and no real index is ever
 * touched; the branch moves only by a compare-and-swap `update-ref`.
 */
export class MemoryPlumbing {
  readonly #repositoryPath: string;
  readonly #branch?: string;

  constructor(repositoryPath: string, branch?: string) {
    this.#repositoryPath = repositoryPath;
    this.#branch = branch;
  }

  #git(args: string[], options: PlumbingOptions = {}): Promise<GitRun> {
    return runGit(this.#repositoryPath, args, {
      timeoutMs: PLUMBING_TIMEOUT_MS,
      maxOutputBytes: MAX_OUTPUT_BYTES,
      ...options,
    });
  }

  async #text(args: string[], options?: PlumbingOptions): Promise<string> {
    return (await this.#git(args, options)).stdout.toString('utf8').trim();
  }

  /** The branch proposals merge into: the configured one, else the repository's HEAD branch. */
  async branch(): Promise<string> {
    if (this.#branch) return this.#branch;
    const { stdout, exitCode } = await this.#git(
      ['symbolic-ref', '--quiet', 'HEAD'],
      { okExitCodes: [0, 1] },
    );
    const head = stdout.toString('utf8').trim();
    if (exitCode !== 0 || !head.startsWith('refs/heads/')) {
      throw new ConflictError(
        'the memory repository has a detached HEAD and no configured branch to merge into',
      );
    }
    return head.slice('refs/heads/'.length);
  }

  async head(branch: string): Promise<string | undefined> {
    return this.#resolve(`refs/heads/${branch}^{commit}`);
  }

  async isCommit(id: string): Promise<boolean> {
    return (await this.#resolve(`${id}^{commit}`)) !== undefined;
  }

  async #resolve(revision: string): Promise<string | undefined> {
    const { stdout, exitCode } = await this.#git(
      ['rev-parse', '--verify', '--quiet', '--end-of-options', revision],
      { okExitCodes: [0, 1] },
    );
    return exitCode === 0 ? stdout.toString('utf8').trim() : undefined;
  }

  /** Runs `work` with a temporary index holding `commit`'s tree; the index is removed after. */
  async #withIndex<T>(
    commit: string,
    work: (env: Record<string, string>) => Promise<T>,
  ): Promise<T> {
    const index = path.join(
      os.tmpdir(),
      `krate-memory-update-${randomUUID()}.index`,
    );
    const env = { GIT_INDEX_FILE: index };
    try {
      await this.#git(['read-tree', commit], { env });
      return await work(env);
    } finally {
      await rm(index, { force: true });
    }
  }

  /** The tree of `base` with whole files replaced or removed, written as objects. */
  async treeWithChanges(base: string, changes: FileChange[]): Promise<string> {
    return this.#withIndex(base, async env => {
      for (const change of changes) {
        if (change.content === null) {
          await this.#git(
            ['update-index', '--force-remove', '--', change.path],
            { env },
          );
          continue;
        }
        const blob = await this.#text(['hash-object', '-w', '--stdin'], {
          input: change.content,
        });
        await this.#git(
          [
            'update-index',
            '--add',
            '--cacheinfo',
            `100644,${blob},${change.path}`,
          ],
          { env },
        );
      }
      return this.#text(['write-tree'], { env });
    });
  }

  /**
   * Applies a patch to `commit`'s tree in a temporary index. With `threeWay`, hunks whose context
   * moved are merged with the blobs the patch names (as `git am -3` does); a conflict does not
   * apply.
   */
  async applyPatch(
    commit: string,
    patch: string,
    options: { threeWay?: boolean; checkOnly?: boolean } = {},
  ): Promise<ApplyResult> {
    return this.#withIndex(commit, async env => {
      const run = await this.#git(
        [
          'apply',
          '--cached',
          '--whitespace=nowarn',
          ...(options.threeWay ? ['--3way'] : []),
          ...(options.checkOnly ? ['--check'] : []),
          '-',
        ],
        { env, input: patch, okExitCodes: [0, 1, 128] },
      );
      if (run.exitCode !== 0) {
        return { applied: false, message: run.stderr.trim() || 'no output' };
      }
      if (options.checkOnly) {
        return { applied: true, tree: '' };
      }
      return { applied: true, tree: await this.#text(['write-tree'], { env }) };
    });
  }

  async treeOf(commit: string): Promise<string> {
    return this.#text(['rev-parse', '--verify', `${commit}^{tree}`]);
  }

  /** A git patch from one tree to another: binary-safe, full blob ids, no renames. */
  async diff(from: string, to: string): Promise<string> {
    return (
      await this.#git([...canonicalDiffArgs(from, to), '--'])
    ).stdout.toString('utf8');
  }

  /** The files that differ between two trees or commits. */
  async changedFiles(from: string, to: string): Promise<TreeChange[]> {
    const { stdout } = await this.#git([
      'diff-tree',
      '-r',
      '-z',
      '--name-status',
      '--no-renames',
      from,
      to,
      '--',
    ]);
    const fields = stdout.toString('utf8').split('\0');
    const changes: TreeChange[] = [];
    for (let i = 0; i + 1 < fields.length; i += 2) {
      changes.push({
        path: fields[i + 1],
        change: CHANGE_OF_STATUS[fields[i][0]] ?? 'modified',
      });
    }
    return changes;
  }

  /** The UTF-8 text of files in a tree; paths that are no file there are absent. */
  async readFiles(tree: string, paths: string[]): Promise<Map<string, string>> {
    const texts = new Map<string, string>();
    if (paths.length === 0) return texts;
    const { stdout } = await this.#git(['cat-file', '--batch'], {
      input: paths.map(file => `${tree}:${file}\n`).join(''),
    });
    parseCatFileBatch(stdout).forEach((object, i) => {
      if (object?.type === 'blob') {
        texts.set(paths[i], object.content.toString('utf8'));
      }
    });
    return texts;
  }

  async commitTree(options: {
    tree: string;
    parent: string;
    message: string;
    author: CommitIdentity;
    committer: CommitIdentity;
  }): Promise<string> {
    const author = cleanIdentity(options.author);
    const committer = cleanIdentity(options.committer);
    return this.#text(['commit-tree', options.tree, '-p', options.parent], {
      input: options.message,
      env: {
        GIT_AUTHOR_NAME: author.name,
        GIT_AUTHOR_EMAIL: author.email,
        GIT_COMMITTER_NAME: committer.name,
        GIT_COMMITTER_EMAIL: committer.email,
      },
    });
  }

  /** Moves the branch from `expected` to `next`; false when it no longer points at `expected`. */
  async moveBranch(
    branch: string,
    next: string,
    expected: string,
  ): Promise<boolean> {
    try {
      await this.#git(['update-ref', `refs/heads/${branch}`, next, expected]);
      return true;
    } catch (error) {
      if (error instanceof GitError && (await this.head(branch)) !== expected) {
        return false;
      }
      throw error;
    }
  }

  /** The commits after `from` up to `to` whose message has this exact trailer line. */
  async commitsWithTrailer(
    from: string,
    to: string,
    trailer: string,
  ): Promise<string[]> {
    const pattern = `^${trailer.replace(/[.*[\]\\^$]/g, '\\$&')}$`;
    const text = await this.#text([
      'rev-list',
      `--grep=${pattern}`,
      `${from}..${to}`,
    ]);
    return text.split('\n').filter(Boolean);
  }
}

/** Git refuses `<`, `>` and line breaks in identities; a display name may hold them. */
function cleanIdentity(identity: CommitIdentity): CommitIdentity {
  const clean = (value: string) =>
    // eslint-disable-next-line no-control-regex
    value.replace(/[<>\u0000-\u001f]/g, '').trim();
  return {
    name: clean(identity.name) || 'unknown',
    email: clean(identity.email) || 'unknown',
  };
}
