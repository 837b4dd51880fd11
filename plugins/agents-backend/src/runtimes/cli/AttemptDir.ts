import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A fresh folder per attempt that holds the CLI's HOME, its config folder and TMPDIR, so
 * nothing of the backend's user (credentials, settings, other sessions) leaks into a run and
 * nothing of a run stays behind.
 */
export class AttemptDir {
  private constructor(readonly root: string) {}

  static async create(name: string, parent = os.tmpdir()): Promise<AttemptDir> {
    const root = await fs.mkdtemp(path.join(parent, `krate-${name}-`));
    const dir = new AttemptDir(root);
    await Promise.all(
      [dir.home, dir.tmp].map(p => fs.mkdir(p, { recursive: true })),
    );
    return dir;
  }

  get home(): string {
    return path.join(this.root, 'home');
  }

  get tmp(): string {
    return path.join(this.root, 'tmp');
  }

  path(...parts: string[]): string {
    return path.join(this.root, ...parts);
  }

  async remove(): Promise<void> {
    await fs.rm(this.root, { recursive: true, force: true, maxRetries: 3 });
  }
}
