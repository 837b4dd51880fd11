import { promises as fs } from 'node:fs';
import { DirectorySnapshot } from './DirectorySnapshot';
import { runGit } from './runGit';
import { StepFailure } from './StepFailure';

const DIFF_OPTIONS = [
  '--no-ext-diff',
  '--no-textconv',
  '--no-color',
  '--binary',
  '--src-prefix=a/',
  '--dst-prefix=b/',
];

type Base =
  | { kind: 'git' }
  | { kind: 'snapshot'; snapshot: DirectorySnapshot }
  | { kind: 'unavailable'; problem: string };

async function isWorkTreeRoot(dir: string, signal: AbortSignal) {
  try {
    const top = await runGit(dir, ['rev-parse', '--show-toplevel'], {
      signal,
    });
    return (await fs.realpath(top.trim())) === dir;
  } catch {
    signal.throwIfAborted();
    return false;
  }
}

/**
 * What `producePatch` diffs the working directory against.
 *
 * A directory that is the top of a git work tree is diffed against HEAD (an empty tree before
 * the first commit): tracked changes with `git diff`, untracked files that are not ignored with
 * `git diff --no-index` against /dev/null, so the index is never touched. Any other directory is
 * diffed against a snapshot of its files taken when the attempt started (an attempt's own
 * changes only; a directory too large to snapshot makes `producePatch` fail).
 */
export class WorkingTreeBaseline {
  readonly #root: string;
  readonly #base: Base;

  private constructor(root: string, base: Base) {
    this.#root = root;
    this.#base = base;
  }

  /** `root` must be a real path (no symlinks). */
  static async capture(
    root: string,
    signal: AbortSignal,
  ): Promise<WorkingTreeBaseline> {
    if (await isWorkTreeRoot(root, signal)) {
      return new WorkingTreeBaseline(root, { kind: 'git' });
    }
    try {
      const snapshot = await DirectorySnapshot.capture(root, signal);
      return new WorkingTreeBaseline(root, { kind: 'snapshot', snapshot });
    } catch (error) {
      signal.throwIfAborted();
      return new WorkingTreeBaseline(root, {
        kind: 'unavailable',
        problem: (error as Error).message,
      });
    }
  }

  /**
   * The baseline of an attempt taken over after its instance stopped: a git work tree still has
   * its HEAD, but the snapshot of any other directory was in the stopped instance's memory.
   */
  static async recover(
    root: string,
    signal: AbortSignal,
  ): Promise<WorkingTreeBaseline> {
    if (await isWorkTreeRoot(root, signal)) {
      return new WorkingTreeBaseline(root, { kind: 'git' });
    }
    return new WorkingTreeBaseline(root, {
      kind: 'unavailable',
      problem:
        'the attempt was taken over after its backend instance stopped, and the snapshot taken when it started went with that instance',
    });
  }

  /** The working directory's changes as a git-style patch; empty when there are none. */
  async diff(signal: AbortSignal): Promise<string> {
    switch (this.#base.kind) {
      case 'git':
        return this.#gitDiff(signal);
      case 'snapshot':
        return this.#base.snapshot.diff(signal);
      default:
        throw new StepFailure(
          'ToolFailed',
          `No snapshot of the working directory to diff against: ${
            this.#base.problem
          }`,
        );
    }
  }

  async #gitDiff(signal: AbortSignal): Promise<string> {
    const git = (args: string[], okExitCodes?: number[]) =>
      runGit(this.#root, args, { signal, okExitCodes });
    const hasHead = await git(
      ['rev-parse', '--verify', '-q', 'HEAD^{commit}'],
      [0, 1],
    );
    const base = hasHead.trim()
      ? 'HEAD'
      : (await git(['hash-object', '-t', 'tree', '/dev/null'])).trim();
    const tracked = await git(['diff', ...DIFF_OPTIONS, base, '--']);
    const untracked = (
      await git(['ls-files', '-z', '--others', '--exclude-standard'])
    )
      .split('\0')
      // A nested repository is listed as `dir/`; its contents are its own.
      .filter(file => file && !file.endsWith('/'));
    const added: string[] = [];
    for (const file of untracked) {
      added.push(
        await git(
          ['diff', '--no-index', ...DIFF_OPTIONS, '--', '/dev/null', file],
          [0, 1],
        ),
      );
    }
    return tracked + added.join('');
  }
}
