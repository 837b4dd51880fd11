import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Runs git in `cwd` for test set-up and returns its trimmed output. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
      GIT_EDITOR: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** Writes a file and commits it. */
export function commit(cwd: string, file: string, content: string) {
  fs.mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
  fs.writeFileSync(path.join(cwd, file), content);
  git(cwd, 'add', '--', file);
  git(cwd, 'commit', '-q', '-m', `change ${file}`);
  return git(cwd, 'rev-parse', 'HEAD');
}

/** A fresh temp directory holding `repo/` (a git repository on `main` with one commit) and `root/`. */
export function gitSandbox() {
  const base = fs.realpathSync(
    fs.mkdtempSync(path.join(os.tmpdir(), 'agents-ws-')),
  );
  const repo = path.join(base, 'repo');
  const root = path.join(base, 'root');
  fs.mkdirSync(repo);
  fs.mkdirSync(root);
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.email', 'test@example.com');
  git(repo, 'config', 'user.name', 'Test');
  commit(repo, 'README.md', 'hello\n');
  return {
    base,
    repo,
    root,
    cleanup: () => fs.rmSync(base, { recursive: true, force: true }),
  };
}
