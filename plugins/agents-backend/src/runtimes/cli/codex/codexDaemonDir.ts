import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';

let active = 0;
let createdByUs = false;

function daemonDir(): string | undefined {
  const uid = process.getuid?.();
  return uid === undefined
    ? undefined
    : path.join('/tmp', `codex-daemon-${uid}`);
}

/**
 * Codex creates `/tmp/codex-daemon-<uid>` whatever TMPDIR says, and every Codex process of the
 * user shares it. It is removed when the last Codex attempt of this backend ends, and only if
 * it did not exist before the first one started.
 */
export async function holdCodexDaemonDir(): Promise<() => Promise<void>> {
  const dir = daemonDir();
  if (active === 0) {
    createdByUs = dir !== undefined && !existsSync(dir);
  }
  active += 1;
  let released = false;
  return async () => {
    if (released) {
      return;
    }
    released = true;
    active -= 1;
    if (active === 0 && createdByUs && dir) {
      await fs.rm(dir, { recursive: true, force: true });
    }
  };
}
