import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StepFailure } from './StepFailure';

/** A workspace file a step may touch, after every symlink on its way was followed. */
export interface WorkspacePath {
  /** Where the bytes are, absolute. */
  absolute: string;
  /** The same place relative to the workspace root, `/`-separated. */
  relative: string;
}

const MAX_LINK_HOPS = 40;

function isErrno(error: unknown, code: string) {
  return (error as NodeJS.ErrnoException)?.code === code;
}

/**
 * Where `file` really lands once symlinks are followed, whether or not it exists: an existing
 * path is its realpath, a dangling symlink is followed by hand, and a missing path is its real
 * parent plus its name.
 */
async function realLocation(file: string, hops = 0): Promise<string> {
  if (hops > MAX_LINK_HOPS) {
    throw new StepFailure(
      'PathOutsideWorkspace',
      `Too many symbolic links on the way to ${file}`,
    );
  }
  try {
    return await fs.realpath(file);
  } catch (error) {
    if (!isErrno(error, 'ENOENT')) {
      throw error;
    }
  }
  let target: string | undefined;
  try {
    target = await fs.readlink(file);
  } catch (error) {
    if (!isErrno(error, 'ENOENT') && !isErrno(error, 'EINVAL')) {
      throw error;
    }
  }
  if (target !== undefined) {
    return realLocation(path.resolve(path.dirname(file), target), hops + 1);
  }
  const parent = path.dirname(file);
  return parent === file
    ? file
    : path.join(await realLocation(parent, hops), path.basename(file));
}

/**
 * Resolves a workspace-relative path for a file step. Absolute paths, `..` escapes and symlinks
 * that lead outside the workspace are refused with `PathOutsideWorkspace`. Policy judges, and
 * the step touches, the resolved location: a link inside the workspace cannot smuggle a denied
 * path (say `.env`) past a glob under another name.
 */
export async function resolveWorkspacePath(
  workspaceRoot: string,
  file: string,
): Promise<WorkspacePath> {
  if (path.isAbsolute(file) || file.includes('\0')) {
    throw new StepFailure(
      'PathOutsideWorkspace',
      `'${file}' is not a workspace-relative path`,
    );
  }
  const root = await fs.realpath(workspaceRoot);
  const outside = (candidate: string) => {
    const relative = path.relative(root, candidate);
    return (
      relative === '' ||
      relative === '..' ||
      relative.startsWith(`..${path.sep}`) ||
      path.isAbsolute(relative)
    );
  };
  const lexical = path.resolve(root, file);
  if (outside(lexical)) {
    throw new StepFailure(
      'PathOutsideWorkspace',
      `'${file}' is not inside the workspace`,
    );
  }
  const absolute = await realLocation(lexical).catch(error => {
    throw error instanceof StepFailure
      ? error
      : new StepFailure(
          'ToolFailed',
          `Cannot resolve '${file}': ${error.code ?? error.message}`,
        );
  });
  if (outside(absolute)) {
    throw new StepFailure(
      'PathOutsideWorkspace',
      `'${file}' leads outside the workspace through a symbolic link`,
    );
  }
  return {
    absolute,
    relative: path.relative(root, absolute).split(path.sep).join('/'),
  };
}
