import { promises as fs } from 'node:fs';

/**
 * Writes a file only the backend's user can read (0600), for contents that hold secret values.
 * It must not exist yet, so nothing planted at the path (a link, a readable file) receives them.
 */
export async function writePrivateFile(
  file: string,
  content: string,
): Promise<void> {
  await fs.writeFile(file, content, { mode: 0o600, flag: 'wx' });
}
