import { InputError, NotFoundError } from '@backstage/errors';
import { GitError } from '../../workspaces/GitCli';
import { parseCatFileBatch } from './catFileBatch';
import { GrepMatch, GrepOutputParser } from './GrepOutputParser';
import {
  checkExtension,
  checkObjectId,
  checkPath,
  checkPaths,
  checkRevision,
  parseTimestamp,
} from './memoryGitInput';
import { GitRun, runGit, RunGitOptions } from './runGit';

export type { GrepMatch } from './GrepOutputParser';

export interface MemoryGitOptions {
  /** Per git command; default 60 seconds. */
  timeoutMs?: number;
  /** The branch read when no ref is given; default the repository's HEAD branch. */
  branch?: string;
}

/** Which commit to read: a branch, tag or commit, optionally as it was at a time. */
export interface MemoryCommitQuery {
  /** A branch, tag or commit id. */
  ref?: string;
  /** A tag, looked up under `refs/tags/` only. */
  tag?: string;
  /** ISO 8601 timestamp with a time zone: the last commit at or before it. */
  at?: string;
}

export interface ResolvedCommit {
  /** Full commit id. */
  commit: string;
  /** What was resolved, e.g. `main`, `v1`, `main@2026-12-04T10:00:00Z`. */
  ref: string;
  /** Committer time, ISO 8601 in UTC. */
  committedAt: string;
}

export interface MemoryListOptions {
  /** Files and folders to list; all of the commit when absent or empty. */
  paths?: string[];
  /** Only files ending in this extension (`md` or `.md`). */
  extension?: string;
}

export interface MemoryGrepQuery {
  pattern: string;
  /** POSIX extended regular expression instead of a literal string. */
  regex?: boolean;
  ignoreCase?: boolean;
  /** Files and folders to search; all of the commit when absent or empty. */
  paths?: string[];
  /** Default 1000. */
  maxMatches?: number;
}

export interface ChangedFile {
  path: string;
  status: 'added' | 'modified' | 'deleted';
}

export interface FileCommit {
  commit: string;
  /** Committer time, ISO 8601 in UTC. */
  committedAt: string;
}

const DEFAULT_MAX_MATCHES = 1000;
const MAX_GREP_BYTES = 8 * 1024 * 1024;
const MAX_LIST_BYTES = 64 * 1024 * 1024;
const MAX_READ_BYTES = 1024 * 1024 * 1024;
const REGULAR_FILE_MODES = new Set(['100644', '100755']);

/**
 * Reads a memory repository (bare or with a work tree) with the git CLI. Every read is at an
 * explicit full commit id, so an answer never changes once given; `resolve` turns a branch,
 * tag or time into such a commit.
 */
export class MemoryGit {
  readonly #repositoryPath: string;
  readonly #timeoutMs: number;
  readonly #branch?: string;

  constructor(repositoryPath: string, options: MemoryGitOptions = {}) {
    this.#repositoryPath = repositoryPath;
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.#branch =
      options.branch === undefined
        ? undefined
        : checkRevision('branch', options.branch, { names: true });
  }

  /**
   * The commit to read: the default branch's head, a ref or tag, or the last commit (following
   * first parents) committed at or before `at` on one of those. Bad input is an InputError
   * naming its field.
   */
  async resolve(query: MemoryCommitQuery = {}): Promise<ResolvedCommit> {
    const { ref, tag, at } = query;
    if (ref !== undefined && tag !== undefined) {
      throw new InputError('ref: give either ref or tag, not both');
    }
    let label: string;
    let start: string | undefined;
    if (tag !== undefined) {
      label = checkRevision('tag', tag, { names: true });
      start = await this.#revParse(`refs/tags/${tag}^{commit}`);
      if (!start) throw new InputError(`tag: no tag named '${tag}'`);
    } else if (ref !== undefined) {
      label = checkRevision('ref', ref);
      start = await this.#revParse(`${ref}^{commit}`);
      if (!start) {
        throw new InputError(`ref: no branch, tag or commit named '${ref}'`);
      }
    } else {
      label = await this.#defaultBranch();
      start = await this.#revParse(`${branchRef(label)}^{commit}`);
      if (!start) {
        throw new NotFoundError(`the memory has no commits on ${label}`);
      }
    }
    if (at === undefined) {
      const [head] = await this.#commitTimes(['-1', start]);
      return { commit: head.commit, ref: label, committedAt: head.committedAt };
    }
    const ms = parseTimestamp('at', at);
    const seconds = Math.floor(ms / 1000);
    // `@<seconds> +0000` is git's raw date; a bare number is read as a timestamp only when large.
    const [found] =
      seconds < 0
        ? []
        : await this.#commitTimes([
            '-1',
            '--first-parent',
            `--before=@${seconds} +0000`,
            start,
          ]);
    if (!found || Date.parse(found.committedAt) > seconds * 1000) {
      throw new InputError(
        `at: the memory has no commit at or before ${at} on ${label}`,
      );
    }
    return {
      commit: found.commit,
      ref: `${label}@${at}`,
      committedAt: found.committedAt,
    };
  }

  /** The head commit of a branch (default: the default branch); undefined when it has none. */
  async headOf(branch?: string): Promise<string | undefined> {
    const name =
      branch === undefined
        ? await this.#defaultBranch()
        : checkRevision('branch', branch, { names: true });
    return this.#revParse(`${branchRef(name)}^{commit}`);
  }

  /** Paths of the regular files in a commit, in git's tree order. */
  async listFiles(
    commit: string,
    options: MemoryListOptions = {},
  ): Promise<string[]> {
    checkObjectId('commit', commit);
    const paths = checkPaths('paths', options.paths);
    const extension =
      options.extension === undefined
        ? undefined
        : checkExtension('extension', options.extension);
    const { stdout } = await this.#read(
      ['ls-tree', '-r', '-z', '--full-tree', commit, '--', ...paths],
      { commit },
    );
    const files: string[] = [];
    for (const entry of stdout.toString('utf8').split('\0')) {
      // <mode> SP <type> SP <id> TAB <path>
      const tab = entry.indexOf('\t');
      if (tab < 0) continue;
      const [mode, type] = entry.slice(0, tab).split(' ');
      const file = entry.slice(tab + 1);
      if (
        type === 'blob' &&
        REGULAR_FILE_MODES.has(mode) &&
        (!extension || file.endsWith(extension))
      ) {
        files.push(file);
      }
    }
    return files;
  }

  /**
   * The UTF-8 text of files at a commit, read by one `git cat-file --batch` process however
   * many there are. Paths that are not files at that commit are absent from the answer.
   */
  async readFiles(
    commit: string,
    paths: string[],
  ): Promise<Map<string, string>> {
    checkObjectId('commit', commit);
    const unique = [...new Set(paths)];
    unique.forEach(file => checkPath('paths', file));
    const texts = new Map<string, string>();
    if (unique.length === 0) return texts;
    // The first line checks the commit itself, so that a wrong commit is not "no files".
    const input = [`${commit}^{commit}`, ...unique.map(f => `${commit}:${f}`)]
      .map(line => `${line}\n`)
      .join('');
    const { stdout } = await this.#run(['cat-file', '--batch', '--buffer'], {
      input,
      maxOutputBytes: MAX_READ_BYTES,
    });
    const [self, ...objects] = parseCatFileBatch(stdout);
    if (objects.length !== unique.length) {
      throw new Error(
        `git cat-file --batch answered ${objects.length} of ${unique.length} paths`,
      );
    }
    if (self?.type !== 'commit') throw unknownCommit('commit', commit);
    unique.forEach((file, i) => {
      const object = objects[i];
      if (object?.type === 'blob') {
        texts.set(file, object.content.toString('utf8'));
      }
    });
    return texts;
  }

  /**
   * Lines matching a literal string (default) or an extended regular expression in the text
   * files of a commit, in path and line order; binary files are skipped. Stops after
   * `maxMatches` matches or 8 MiB of output.
   */
  async grep(commit: string, query: MemoryGrepQuery): Promise<GrepMatch[]> {
    checkObjectId('commit', commit);
    const { pattern } = query;
    if (typeof pattern !== 'string' || pattern === '') {
      throw new InputError('pattern: must be a non-empty string');
    }
    if (/[\0\n\r]/.test(pattern)) {
      throw new InputError('pattern: must not contain NUL or line breaks');
    }
    const maxMatches = query.maxMatches ?? DEFAULT_MAX_MATCHES;
    if (!Number.isInteger(maxMatches) || maxMatches < 1) {
      throw new InputError('maxMatches: must be a positive integer');
    }
    const paths = checkPaths('paths', query.paths);
    const parser = new GrepOutputParser({
      commit,
      maxMatches,
      maxBytes: MAX_GREP_BYTES,
    });
    try {
      await this.#read(
        [
          'grep',
          '-n',
          '-I',
          '--null',
          '--no-color',
          '--no-column',
          query.regex ? '-E' : '-F',
          ...(query.ignoreCase ? ['-i'] : []),
          '-e',
          pattern,
          commit,
          '--',
          ...paths,
        ],
        { commit },
        { okExitCodes: [0, 1], onStdout: chunk => parser.push(chunk) },
      );
    } catch (error) {
      if (error instanceof GitError && /-e option/.test(error.stderr)) {
        throw new InputError(
          `pattern: ${error.stderr.replace(/^fatal: /, '').trim()}`,
        );
      }
      throw error;
    }
    return parser.matches;
  }

  /** Files that differ between two commits; a rename is a delete and an add. */
  async changedFiles(from: string, to: string): Promise<ChangedFile[]> {
    checkObjectId('from', from);
    checkObjectId('to', to);
    const { stdout } = await this.#read(
      [
        'diff-tree',
        '-r',
        '-z',
        '--name-status',
        '--no-renames',
        from,
        to,
        '--',
      ],
      { from, to },
    );
    const fields = stdout.toString('utf8').split('\0');
    const changes: ChangedFile[] = [];
    for (let i = 0; i + 1 < fields.length; i += 2) {
      changes.push({ path: fields[i + 1], status: changeStatus(fields[i]) });
    }
    return changes;
  }

  /** The commits reachable from `commit` that changed `path`, newest first. */
  async fileHistory(commit: string, path: string): Promise<FileCommit[]> {
    checkObjectId('commit', commit);
    const file = checkPath('path', path);
    return this.#commitTimes([commit, '--', file], { commit });
  }

  async #defaultBranch(): Promise<string> {
    if (this.#branch) return this.#branch;
    const { stdout, exitCode } = await this.#run(
      ['symbolic-ref', '--quiet', 'HEAD'],
      { okExitCodes: [0, 1] },
    );
    const head = stdout.toString('utf8').trim();
    // A detached HEAD is read as it is.
    return exitCode === 0 ? head.replace(/^refs\/heads\//, '') : 'HEAD';
  }

  async #revParse(revision: string): Promise<string | undefined> {
    const { stdout, exitCode } = await this.#run(
      ['rev-parse', '--verify', '--quiet', '--end-of-options', revision],
      { okExitCodes: [0, 1] },
    );
    return exitCode === 0 ? stdout.toString('utf8').trim() : undefined;
  }

  async #commitTimes(
    args: string[],
    commits: Record<string, string> = {},
  ): Promise<FileCommit[]> {
    const { stdout } = await this.#read(
      ['rev-list', '--timestamp', ...args],
      commits,
    );
    return stdout
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map(line => {
        const [seconds, id] = line.split(' ');
        return {
          commit: id,
          committedAt: new Date(Number(seconds) * 1000).toISOString(),
        };
      });
  }

  /** Runs a read at the given commits, turning a failure caused by an unknown one into InputError. */
  async #read(
    args: string[],
    commits: Record<string, string>,
    options: Partial<RunGitOptions> = {},
  ): Promise<GitRun> {
    try {
      return await this.#run(args, options);
    } catch (error) {
      if (error instanceof GitError && error.exitCode === 128) {
        for (const [field, commit] of Object.entries(commits)) {
          if (!(await this.#isCommit(commit))) {
            throw unknownCommit(field, commit);
          }
        }
      }
      throw error;
    }
  }

  async #isCommit(commit: string): Promise<boolean> {
    return (await this.#revParse(`${commit}^{commit}`)) !== undefined;
  }

  #run(args: string[], options: Partial<RunGitOptions> = {}): Promise<GitRun> {
    return runGit(this.#repositoryPath, args, {
      timeoutMs: this.#timeoutMs,
      maxOutputBytes: MAX_LIST_BYTES,
      ...options,
    });
  }
}

function branchRef(branch: string): string {
  return branch === 'HEAD' ? 'HEAD' : `refs/heads/${branch}`;
}

function unknownCommit(field: string, commit: string): InputError {
  return new InputError(`${field}: the memory has no commit ${commit}`);
}

function changeStatus(letter: string): ChangedFile['status'] {
  switch (letter[0]) {
    case 'A':
      return 'added';
    case 'D':
      return 'deleted';
    case 'M':
    case 'T':
      return 'modified';
    default:
      throw new Error(`git diff-tree: unexpected status '${letter}'`);
  }
}
