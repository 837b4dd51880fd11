import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** A git command that exited non-zero, timed out or could not start. */
export class GitError extends Error {
  readonly name = 'GitError';
  constructor(
    readonly args: string[],
    readonly exitCode: number | undefined,
    readonly stderr: string,
  ) {
    super(
      `git ${args.join(' ')} failed${
        exitCode === undefined ? '' : ` (exit ${exitCode})`
      }: ${stderr.trim() || 'no output'}`,
    );
  }
}

/** `git status --porcelain=v2 --branch`, parsed. */
export interface GitStatus {
  /** Undefined when HEAD is detached. */
  branch?: string;
  /** Undefined before the first commit. */
  headSha?: string;
  upstream?: string;
  ahead: number;
  behind: number;
  /** Changed, staged, unmerged and untracked paths. */
  uncommittedCount: number;
  /** Paths with unmerged (conflict) entries. */
  conflictingFiles: string[];
}

export interface WorktreeEntry {
  path: string;
  headSha?: string;
  branch?: string;
}

export interface GitCliOptions {
  /** Per command; default 60 seconds. */
  timeoutMs?: number;
}

const MAX_OUTPUT = 16 * 1024 * 1024;

/**
 * The git commands the workspace controller needs, run with argument arrays (never a shell) in a
 * working directory, with a timeout. Failures become GitError carrying stderr.
 */
export class GitCli {
  readonly #timeoutMs: number;

  constructor(options: GitCliOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 60_000;
  }

  run(
    cwd: string,
    args: string[],
    env: Record<string, string> = {},
  ): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(
        'git',
        // Repositories are not trusted code: never run their hooks or an fsmonitor they configure.
        [
          '-c',
          'core.hooksPath=/dev/null',
          '-c',
          'core.fsmonitor=false',
          // The ext:: transport runs an arbitrary command: never, whatever a URL says.
          '-c',
          'protocol.ext.allow=never',
          ...args,
        ],
        {
          cwd,
          timeout: this.#timeoutMs,
          maxBuffer: MAX_OUTPUT,
          env: {
            ...process.env,
            // Never wait for a terminal or an editor, never pick up a user's prompts.
            GIT_TERMINAL_PROMPT: '0',
            GIT_EDITOR: 'true',
            GIT_SEQUENCE_EDITOR: 'true',
            LC_ALL: 'C',
            ...env,
          },
        },
        (error, stdout, stderr) => {
          if (error) {
            const code = (error as { code?: unknown }).code;
            reject(
              new GitError(
                args,
                typeof code === 'number' ? code : undefined,
                String(stderr || error.message),
              ),
            );
            return;
          }
          resolve(String(stdout));
        },
      );
    });
  }

  async revParse(cwd: string, ref: string): Promise<string> {
    return (
      await this.run(cwd, ['rev-parse', '--verify', '--end-of-options', ref])
    ).trim();
  }

  /**
   * True when `dir` is the top level of a git work tree; a plain directory inside some other
   * repository does not count.
   */
  async isWorkTreeRoot(dir: string): Promise<boolean> {
    try {
      const [top, real] = await Promise.all([
        this.topLevel(dir),
        fs.realpath(dir),
      ]);
      return (await fs.realpath(top)) === real;
    } catch {
      return false;
    }
  }

  /** The top-level directory of the work tree `cwd` is in. */
  async topLevel(cwd: string): Promise<string> {
    return (await this.run(cwd, ['rev-parse', '--show-toplevel'])).trim();
  }

  /** The repository's common git directory (shared by all its worktrees), absolute. */
  async commonDir(cwd: string): Promise<string> {
    const dir = (await this.run(cwd, ['rev-parse', '--git-common-dir'])).trim();
    return path.resolve(cwd, dir);
  }

  /** Whether the repository at `cwd` is bare (has no work tree of its own). */
  async isBare(cwd: string): Promise<boolean> {
    return (
      (await this.run(cwd, ['rev-parse', '--is-bare-repository'])).trim() ===
      'true'
    );
  }

  /** The absolute git directory of the repository `cwd` is in. */
  async gitDir(cwd: string): Promise<string> {
    return (await this.run(cwd, ['rev-parse', '--absolute-git-dir'])).trim();
  }

  /** The full ref name `ref` stands for (`refs/heads/main` for `main`); undefined for a commit. */
  async fullRefName(cwd: string, ref: string): Promise<string | undefined> {
    // rev-parse prints `--end-of-options` back instead of honouring it here.
    if (ref.startsWith('-')) {
      return undefined;
    }
    const out = await this.run(cwd, ['rev-parse', '--symbolic-full-name', ref]);
    return out.trim() || undefined;
  }

  /** Whether `ancestor` is an ancestor of (or equal to) `descendant`. */
  async isAncestor(
    cwd: string,
    ancestor: string,
    descendant: string,
  ): Promise<boolean> {
    try {
      await this.run(cwd, [
        'merge-base',
        '--is-ancestor',
        ancestor,
        descendant,
      ]);
      return true;
    } catch (error) {
      if (error instanceof GitError && error.exitCode === 1) {
        return false;
      }
      throw error;
    }
  }

  /** The refs under `patterns` (e.g. `refs/tags`) whose history contains `commit`. */
  async refsContaining(
    cwd: string,
    commit: string,
    patterns: string[],
  ): Promise<string[]> {
    const out = await this.run(cwd, [
      'for-each-ref',
      '--format=%(refname)',
      `--contains=${commit}`,
      ...patterns,
    ]);
    return out.split('\n').filter(Boolean);
  }

  /** Adds a worktree at `worktreePath` on a new branch starting at `ref`. */
  async worktreeAdd(
    repositoryPath: string,
    worktreePath: string,
    options: { newBranch?: string; ref: string },
  ): Promise<void> {
    const args = ['worktree', 'add'];
    if (options.newBranch) {
      args.push('-b', options.newBranch);
    }
    await this.run(repositoryPath, [
      ...args,
      '--end-of-options',
      worktreePath,
      options.ref,
    ]);
  }

  async worktreeRemove(
    repositoryPath: string,
    worktreePath: string,
    options: { force?: boolean } = {},
  ): Promise<void> {
    await this.run(repositoryPath, [
      'worktree',
      'remove',
      ...(options.force ? ['--force'] : []),
      '--end-of-options',
      worktreePath,
    ]);
  }

  async worktreePrune(repositoryPath: string): Promise<void> {
    await this.run(repositoryPath, ['worktree', 'prune']);
  }

  async worktreeList(repositoryPath: string): Promise<WorktreeEntry[]> {
    const out = await this.run(repositoryPath, [
      'worktree',
      'list',
      '--porcelain',
    ]);
    const entries: WorktreeEntry[] = [];
    let current: WorktreeEntry | undefined;
    for (const line of out.split('\n')) {
      if (line.startsWith('worktree ')) {
        current = { path: line.slice('worktree '.length) };
        entries.push(current);
      } else if (current && line.startsWith('HEAD ')) {
        current.headSha = line.slice('HEAD '.length);
      } else if (current && line.startsWith('branch ')) {
        current.branch = line
          .slice('branch '.length)
          .replace(/^refs\/heads\//, '');
      }
    }
    return entries;
  }

  async status(cwd: string): Promise<GitStatus> {
    const out = await this.run(cwd, [
      'status',
      '--porcelain=v2',
      '--branch',
      '-z',
      '--untracked-files=all',
    ]);
    return parsePorcelainV2(out);
  }

  /** Whether a rebase is stopped in this work tree (rebase-merge or rebase-apply exists). */
  async rebaseInProgress(cwd: string): Promise<boolean> {
    const gitPaths = (
      await this.run(cwd, [
        'rev-parse',
        '--git-path',
        'rebase-merge',
        '--git-path',
        'rebase-apply',
      ])
    )
      .split('\n')
      .filter(Boolean);
    for (const gitPath of gitPaths) {
      try {
        await fs.access(path.resolve(cwd, gitPath));
        return true;
      } catch {
        // not this one
      }
    }
    return false;
  }

  /**
   * Starts a rebase of the current branch onto `onto`. Resolves `stopped: true` when it stopped on
   * conflicts, and throws for any other failure.
   */
  async rebaseStart(cwd: string, onto: string): Promise<{ stopped: boolean }> {
    try {
      await this.run(cwd, ['rebase', '--end-of-options', onto]);
      return { stopped: false };
    } catch (error) {
      if (await this.rebaseInProgress(cwd)) {
        return { stopped: true };
      }
      throw error;
    }
  }

  async rebaseAbort(cwd: string): Promise<void> {
    await this.run(cwd, ['rebase', '--abort']);
  }

  /** Continues a stopped rebase; `stopped: true` when it stopped again on the next conflict. */
  async rebaseContinue(cwd: string): Promise<{ stopped: boolean }> {
    try {
      await this.run(cwd, ['rebase', '--continue']);
    } catch (error) {
      if (!(await this.rebaseInProgress(cwd))) {
        throw error;
      }
    }
    return { stopped: await this.rebaseInProgress(cwd) };
  }

  async add(cwd: string, paths: string[]): Promise<void> {
    await this.run(cwd, ['add', '--', ...paths]);
  }

  /** A file's content at an index stage (1 base, 2 ours, 3 theirs); undefined when absent. */
  async stageContent(
    cwd: string,
    stage: 1 | 2 | 3,
    file: string,
  ): Promise<string | undefined> {
    try {
      return await this.run(cwd, ['show', `:${stage}:${file}`]);
    } catch {
      return undefined;
    }
  }

  /** Unified diff of the work tree (tracked files) against `base`. */
  async diff(cwd: string, base: string): Promise<string> {
    return this.run(cwd, ['diff', '--end-of-options', base, '--']);
  }

  /** Time of the last commit on HEAD, ISO 8601; undefined before the first commit. */
  async lastCommitTime(cwd: string, rev = 'HEAD'): Promise<string | undefined> {
    try {
      const out = (
        await this.run(cwd, ['log', '-1', '--format=%cI', rev, '--'])
      ).trim();
      return out ? new Date(out).toISOString() : undefined;
    } catch {
      return undefined;
    }
  }
}

/** Parses `git status --porcelain=v2 --branch -z`. */
export function parsePorcelainV2(out: string): GitStatus {
  const status: GitStatus = {
    ahead: 0,
    behind: 0,
    uncommittedCount: 0,
    conflictingFiles: [],
  };
  const records = out.split('\0');
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    if (record.startsWith('# branch.oid ')) {
      const oid = record.slice('# branch.oid '.length);
      status.headSha = oid === '(initial)' ? undefined : oid;
    } else if (record.startsWith('# branch.head ')) {
      const head = record.slice('# branch.head '.length);
      status.branch = head === '(detached)' ? undefined : head;
    } else if (record.startsWith('# branch.upstream ')) {
      status.upstream = record.slice('# branch.upstream '.length);
    } else if (record.startsWith('# branch.ab ')) {
      const match = /^\+(\d+) -(\d+)$/.exec(
        record.slice('# branch.ab '.length),
      );
      if (match) {
        status.ahead = Number(match[1]);
        status.behind = Number(match[2]);
      }
    } else if (record.startsWith('1 ')) {
      status.uncommittedCount++;
    } else if (record.startsWith('2 ')) {
      status.uncommittedCount++;
      // A rename or copy is followed by its original path as a record of its own.
      i++;
    } else if (record.startsWith('u ')) {
      status.uncommittedCount++;
      status.conflictingFiles.push(record.split(' ').slice(10).join(' '));
    } else if (record.startsWith('? ')) {
      status.uncommittedCount++;
    }
  }
  return status;
}
