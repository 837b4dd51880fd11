import { promises as fs } from 'node:fs';
import path from 'node:path';
import { FileVersion, formatFilePatch } from './formatFilePatch';
import { StepFailure } from './StepFailure';

/** Beyond these a directory is too large to hold in memory for a diff. */
const MAX_FILES = 20_000;
const MAX_BYTES = 64 * 1024 * 1024;

type Files = Map<string, FileVersion>;

async function walk(root: string, signal: AbortSignal): Promise<Files> {
  const files: Files = new Map();
  let bytes = 0;
  const visit = async (dir: string) => {
    signal.throwIfAborted();
    const entries = await fs.readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const absolute = path.join(dir, entry.name);
      const relative = path.relative(root, absolute).split(path.sep).join('/');
      if (entry.isDirectory()) {
        if (entry.name !== '.git') {
          await visit(absolute);
        }
        continue;
      }
      let version: FileVersion;
      if (entry.isSymbolicLink()) {
        version = {
          content: Buffer.from(await fs.readlink(absolute)),
          mode: '120000',
        };
      } else if (entry.isFile()) {
        const [content, stat] = await Promise.all([
          fs.readFile(absolute),
          fs.stat(absolute),
        ]);
        version = {
          content,
          mode: stat.mode & 0o111 ? '100755' : '100644',
        };
      } else {
        continue;
      }
      bytes += version.content.length;
      if (files.size >= MAX_FILES || bytes > MAX_BYTES) {
        throw new StepFailure(
          'ToolFailed',
          `the working directory holds more than ${MAX_FILES} files or ${
            MAX_BYTES / 1024 / 1024
          } MiB`,
        );
      }
      files.set(relative, version);
    }
  };
  await visit(root);
  return files;
}

/**
 * The contents of a plain (non-git) working directory at one moment, to diff the directory
 * against later. Symlinks are recorded as links, not followed; `.git` directories are skipped.
 */
export class DirectorySnapshot {
  readonly #root: string;
  readonly #files: Files;

  private constructor(root: string, files: Files) {
    this.#root = root;
    this.#files = files;
  }

  static async capture(
    root: string,
    signal: AbortSignal,
  ): Promise<DirectorySnapshot> {
    return new DirectorySnapshot(root, await walk(root, signal));
  }

  /** A git-style patch from the snapshot to the directory as it is now. */
  async diff(signal: AbortSignal): Promise<string> {
    const now = await walk(this.#root, signal);
    const paths = [...new Set([...this.#files.keys(), ...now.keys()])].sort();
    return paths
      .map(file => formatFilePatch(file, this.#files.get(file), now.get(file)))
      .join('');
  }
}
