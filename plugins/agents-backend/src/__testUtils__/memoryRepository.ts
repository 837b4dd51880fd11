import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The demo memory of acme, as the embedded portal seeds it. */
export const DEMO_MEMORY = path.resolve(
  __dirname,
  '../../../../examples/memory/acme',
);

/**
 * A memory repository in a temporary folder: the demo memory committed on 2026-12-01, then
 * `commit` adds later states. Remove it with `remove`.
 */
export function createMemoryRepository() {
  const root = mkdtempSync(path.join(tmpdir(), 'krate-memory-'));
  const git = (args: string[], date?: string) =>
    execFileSync('git', args, {
      cwd: root,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Memory Test',
        GIT_AUTHOR_EMAIL: 'memory@krate.invalid',
        GIT_COMMITTER_NAME: 'Memory Test',
        GIT_COMMITTER_EMAIL: 'memory@krate.invalid',
        ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}),
      },
    }).trim();
  git(['init', '--quiet', '--initial-branch=main']);
  cpSync(DEMO_MEMORY, root, { recursive: true });

  function commit(
    date: string,
    changes: Record<string, string | null> = {},
    message = 'Change memory',
  ): string {
    for (const [file, text] of Object.entries(changes)) {
      const target = path.join(root, file);
      if (text === null) {
        rmSync(target);
      } else {
        writeFileSync(target, text);
      }
    }
    git(['add', '--all']);
    git(['commit', '--quiet', '--allow-empty', '-m', message], date);
    return git(['rev-parse', 'HEAD']);
  }

  const first = commit('2026-12-01T10:00:00Z', {}, 'The demo memory');
  return {
    path: root,
    first,
    commit,
    tag: (name: string) => git(['tag', name]),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
