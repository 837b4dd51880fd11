import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Why a path may not be touched; the message names the rule. */
export class PathOutsideRootError extends Error {
  readonly name = 'PathOutsideRootError';
}

/**
 * The directory workspaces live under. Nothing outside it is ever created, linked for editing or
 * deleted: every check resolves real paths, so `..` segments and symlinks cannot lead out of it.
 */
export class WorkspaceRoot {
  constructor(readonly root: string) {
    if (!path.isAbsolute(root)) {
      throw new Error(`The workspace root must be absolute, got '${root}'`);
    }
  }

  /** A root under this one (a policy's `provisioning.root`); relative roots resolve against it. */
  async sub(dir: string): Promise<WorkspaceRoot> {
    const candidate = path.resolve(this.root, dir);
    if (hasDotDot(dir) || !isInside(this.root, candidate, true)) {
      throw new PathOutsideRootError(
        `root '${dir}' is outside the workspace root ${this.root}`,
      );
    }
    return new WorkspaceRoot(candidate);
  }

  /** Creates the root when missing and returns its real path; refuses a symlinked root. */
  async ensure(): Promise<string> {
    await fs.mkdir(this.root, { recursive: true });
    return this.realRoot();
  }

  async realRoot(): Promise<string> {
    const stat = await fs.lstat(this.root);
    if (stat.isSymbolicLink()) {
      throw new PathOutsideRootError(
        `the workspace root ${this.root} is a symlink; a symlinked root could point anywhere`,
      );
    }
    if (!stat.isDirectory()) {
      throw new PathOutsideRootError(
        `the workspace root ${this.root} is not a directory`,
      );
    }
    return fs.realpath(this.root);
  }

  /**
   * Checks that an existing path lies strictly inside the root and returns its real path.
   * Refuses relative paths, `..` segments, the root itself, a path that is a symlink and a path
   * whose real location is outside the root.
   */
  async resolveExisting(target: string): Promise<string> {
    this.#checkSpelling(target);
    const realRoot = await this.realRoot();
    const stat = await fs.lstat(target);
    if (stat.isSymbolicLink()) {
      throw new PathOutsideRootError(
        `path ${target} is a symlink; only real directories under the workspace root are managed`,
      );
    }
    const real = await fs.realpath(target);
    if (!isInside(realRoot, real, false)) {
      throw new PathOutsideRootError(
        `path ${target} resolves to ${real}, outside the workspace root ${realRoot}`,
      );
    }
    return real;
  }

  /** Checks a path that is about to be created: its parent must resolve inside the root. */
  async resolveNew(target: string): Promise<string> {
    this.#checkSpelling(target);
    const realRoot = await this.ensure();
    const parent = path.dirname(target);
    await fs.mkdir(parent, { recursive: true });
    const realParent = await fs.realpath(parent);
    const real = path.join(realParent, path.basename(target));
    if (!isInside(realRoot, real, false)) {
      throw new PathOutsideRootError(
        `path ${target} resolves to ${real}, outside the workspace root ${realRoot}`,
      );
    }
    return real;
  }

  #checkSpelling(target: string) {
    if (!path.isAbsolute(target)) {
      throw new PathOutsideRootError(`path ${target} is not absolute`);
    }
    if (hasDotDot(target)) {
      throw new PathOutsideRootError(
        `path ${target} contains '..'; workspace paths must be plain paths under the root`,
      );
    }
    if (!isInside(this.root, path.resolve(target), false)) {
      throw new PathOutsideRootError(
        `path ${target} is outside the workspace root ${this.root}`,
      );
    }
  }
}

function hasDotDot(p: string): boolean {
  return p.split(/[\\/]/).includes('..');
}

function isInside(root: string, target: string, allowEqual: boolean): boolean {
  const relative = path.relative(root, target);
  if (relative === '') {
    return allowEqual;
  }
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}
