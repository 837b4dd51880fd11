import { promises as fs } from 'node:fs';
import path from 'node:path';
import { formatFilePatch } from './formatFilePatch';
import { resolveWorkspacePath, WorkspacePath } from './resolveWorkspacePath';
import { StepFailure } from './StepFailure';

/** File content a Read hands back in its tool result; the rest is only counted. */
export const MAX_READ_RESULT_CHARS = 64 * 1024;

function failure(verb: string, file: WorkspacePath, error: unknown) {
  const code = (error as NodeJS.ErrnoException).code;
  return new StepFailure(
    'ToolFailed',
    `Cannot ${verb} ${file.relative}: ${code ?? (error as Error).message}`,
  );
}

async function modeOf(file: WorkspacePath) {
  const stat = await fs.stat(file.absolute);
  return stat.mode & 0o111 ? '100755' : '100644';
}

/**
 * The Read, Write and Edit tools of the scripted agent, confined to one workspace. Messages
 * name files by their workspace-relative path only.
 */
export class FileTools {
  readonly #root: string;

  constructor(root: string) {
    this.#root = root;
  }

  resolve(file: string): Promise<WorkspacePath> {
    return resolveWorkspacePath(this.#root, file);
  }

  async read(file: WorkspacePath) {
    let content: string;
    try {
      content = await fs.readFile(file.absolute, 'utf8');
    } catch (error) {
      throw failure('read', file, error);
    }
    return {
      byteCount: Buffer.byteLength(content),
      content: content.slice(0, MAX_READ_RESULT_CHARS),
      truncated: content.length > MAX_READ_RESULT_CHARS,
    };
  }

  async write(file: WorkspacePath, content: string) {
    try {
      const existed = await fs
        .lstat(file.absolute)
        .then(() => true)
        .catch(() => false);
      await fs.mkdir(path.dirname(file.absolute), { recursive: true });
      await fs.writeFile(file.absolute, content);
      return {
        change: existed ? ('write' as const) : ('create' as const),
        byteCount: Buffer.byteLength(content),
      };
    } catch (error) {
      throw failure('write', file, error);
    }
  }

  /** Replaces the first occurrence of `find`; fails when there is none. */
  async patch(file: WorkspacePath, find: string, replace: string) {
    let before: Buffer;
    let mode: string;
    try {
      before = await fs.readFile(file.absolute);
      mode = await modeOf(file);
    } catch (error) {
      throw failure('read', file, error);
    }
    const text = before.toString('utf8');
    const at = text.indexOf(find);
    if (at < 0) {
      throw new StepFailure(
        'ToolFailed',
        `${file.relative} does not contain the text to replace`,
      );
    }
    const after = text.slice(0, at) + replace + text.slice(at + find.length);
    try {
      await fs.writeFile(file.absolute, after);
    } catch (error) {
      throw failure('write', file, error);
    }
    return {
      byteCount: Buffer.byteLength(after),
      diff: formatFilePatch(
        file.relative,
        { content: before, mode },
        { content: Buffer.from(after), mode },
      ),
    };
  }
}
