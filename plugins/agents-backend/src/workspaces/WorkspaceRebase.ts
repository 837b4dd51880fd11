import { ConflictError } from '@backstage/errors';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { GitCli } from './GitCli';

const MARKER = /^(<{7}|>{7}|={7})( |$)/m;

function conflictMessage(files: string[], what: string) {
  return `${what}: conflicts in ${files.join(
    ', ',
  )}; resolve them, then rebase-mark-resolved, or rebase-auto-resolve or rebase-abort`;
}

/** The rebase actions on one work tree. Conflicts are reported as ConflictError listing files. */
export class WorkspaceRebase {
  constructor(private readonly git: GitCli, private readonly cwd: string) {}

  async start(onto: string): Promise<string> {
    if (await this.git.rebaseInProgress(this.cwd)) {
      throw new ConflictError(
        'rebase-start: a rebase is already in progress; continue or abort it first',
      );
    }
    const status = await this.git.status(this.cwd);
    if (status.uncommittedCount > 0) {
      throw new ConflictError(
        `rebase-start: the workspace has ${status.uncommittedCount} uncommitted changes; commit or discard them first`,
      );
    }
    const { stopped } = await this.git.rebaseStart(this.cwd, onto);
    if (stopped) {
      throw new ConflictError(
        conflictMessage(await this.#conflicts(), 'rebase stopped'),
      );
    }
    return `rebased onto ${onto}`;
  }

  async abort(): Promise<string> {
    await this.#requireInProgress('rebase-abort');
    await this.git.rebaseAbort(this.cwd);
    return 'rebase aborted';
  }

  /** Continues after the user resolved the files; refuses while conflict markers remain. */
  async markResolved(): Promise<string> {
    await this.#requireInProgress('rebase-mark-resolved');
    const files = await this.#conflicts();
    const unresolved: string[] = [];
    for (const file of files) {
      const content = await this.#read(file);
      if (content === undefined || MARKER.test(content)) {
        unresolved.push(file);
      }
    }
    if (unresolved.length > 0) {
      throw new ConflictError(
        conflictMessage(unresolved, 'rebase-mark-resolved refused'),
      );
    }
    if (files.length > 0) {
      await this.git.add(this.cwd, files);
    }
    return this.#continue('resolved conflicts marked, rebase continued');
  }

  /**
   * Resolves only conflicts where both sides made the same change up to whitespace; if any file
   * needs a real decision, nothing is touched and the files are listed.
   */
  async autoResolve(): Promise<string> {
    await this.#requireInProgress('rebase-auto-resolve');
    const files = await this.#conflicts();
    const resolutions: Array<[string, string]> = [];
    const manual: string[] = [];
    for (const file of files) {
      const ours = await this.git.stageContent(this.cwd, 2, file);
      const theirs = await this.git.stageContent(this.cwd, 3, file);
      if (
        ours !== undefined &&
        theirs !== undefined &&
        normalize(ours) === normalize(theirs)
      ) {
        resolutions.push([file, theirs]);
      } else {
        manual.push(file);
      }
    }
    if (manual.length > 0) {
      throw new ConflictError(
        conflictMessage(
          manual,
          'rebase-auto-resolve cannot resolve trivially, these need a decision',
        ),
      );
    }
    for (const [file, content] of resolutions) {
      await fs.writeFile(path.join(this.cwd, file), content);
    }
    if (resolutions.length > 0) {
      await this.git.add(
        this.cwd,
        resolutions.map(([file]) => file),
      );
    }
    return this.#continue(
      `auto-resolved ${resolutions.length} file(s), rebase continued`,
    );
  }

  async #continue(done: string): Promise<string> {
    const { stopped } = await this.git.rebaseContinue(this.cwd);
    if (stopped) {
      throw new ConflictError(
        conflictMessage(await this.#conflicts(), 'rebase stopped again'),
      );
    }
    return done;
  }

  async #requireInProgress(action: string) {
    if (!(await this.git.rebaseInProgress(this.cwd))) {
      throw new ConflictError(`${action}: no rebase is in progress`);
    }
  }

  async #conflicts() {
    return (await this.git.status(this.cwd)).conflictingFiles;
  }

  async #read(file: string) {
    try {
      return await fs.readFile(path.join(this.cwd, file), 'utf8');
    } catch {
      return undefined;
    }
  }
}

function normalize(content: string) {
  return content
    .split('\n')
    .map(line => line.replace(/\s+/g, ' ').trim())
    .join('\n')
    .trim();
}
