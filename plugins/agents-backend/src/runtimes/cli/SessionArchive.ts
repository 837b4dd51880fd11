import { InputError } from '@backstage/errors';
import { Dirent, promises as fs } from 'node:fs';
import path from 'node:path';

const SESSION_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const META_FILE = 'krate-session.json';

/**
 * Keeps CLI session transcripts between attempts. Each attempt runs with a fresh config folder;
 * after it, the files of its session (those whose name holds the session id) are copied here,
 * and a later resume attempt gets them copied back before the CLI starts. A small metadata
 * object (e.g. cumulative usage) travels with them.
 */
export class SessionArchive {
  readonly #root: string;

  constructor(root: string) {
    this.#root = path.resolve(root);
  }

  /** Copies the session's files under `configDir/under` into the archive, replacing a copy. */
  async save(options: {
    runtime: string;
    sessionId: string;
    configDir: string;
    under: string;
    meta?: Record<string, unknown>;
  }): Promise<number> {
    const target = this.#dir(options.runtime, options.sessionId);
    const matches = await SessionArchive.find(
      path.join(options.configDir, options.under),
      options.sessionId,
    );
    if (matches.length === 0) {
      return 0;
    }
    await fs.mkdir(path.dirname(target), { recursive: true });
    const staging = await fs.mkdtemp(`${target}.saving-`);
    try {
      for (const match of matches) {
        const relative = path.relative(options.configDir, match);
        await fs.cp(match, path.join(staging, 'files', relative), {
          recursive: true,
        });
      }
      await fs.writeFile(
        path.join(staging, META_FILE),
        JSON.stringify(options.meta ?? {}),
      );
      await fs.rm(target, { recursive: true, force: true });
      await fs.rename(staging, target);
    } catch (error) {
      await fs.rm(staging, { recursive: true, force: true });
      throw error;
    }
    return matches.length;
  }

  /**
   * Copies an archived session into `configDir`. Returns its metadata, or undefined when the
   * archive has no such session.
   */
  async restore(options: {
    runtime: string;
    sessionId: string;
    configDir: string;
  }): Promise<Record<string, unknown> | undefined> {
    const source = this.#dir(options.runtime, options.sessionId);
    let meta: Record<string, unknown>;
    try {
      meta = JSON.parse(
        await fs.readFile(path.join(source, META_FILE), 'utf8'),
      );
    } catch {
      return undefined;
    }
    await fs.cp(path.join(source, 'files'), options.configDir, {
      recursive: true,
    });
    return meta;
  }

  #dir(runtime: string, sessionId: string): string {
    if (!SESSION_ID.test(sessionId) || !SESSION_ID.test(runtime)) {
      throw new InputError(`Invalid session id '${sessionId}'`);
    }
    return path.join(this.#root, runtime, sessionId);
  }

  private static async find(dir: string, sessionId: string): Promise<string[]> {
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return [];
    }
    const found: string[] = [];
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.name.includes(sessionId)) {
        found.push(full);
      } else if (entry.isDirectory()) {
        found.push(...(await SessionArchive.find(full, sessionId)));
      }
    }
    return found;
  }
}
