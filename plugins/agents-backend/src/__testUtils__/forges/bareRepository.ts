import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

function git(args: string[]): string {
  return execFileSync('git', args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/**
 * Creates the bare repository a forge double serves at `<owner>/<name>.git`: a bare clone of
 * `source` when given (its branches become the forge's), else an empty one on `defaultBranch`.
 */
export function createBareRepository(
  gitDir: string,
  options: { defaultBranch: string; source?: string },
) {
  fs.mkdirSync(path.dirname(gitDir), { recursive: true });
  if (options.source) {
    git(['clone', '-q', '--bare', options.source, gitDir]);
    git([
      '--git-dir',
      gitDir,
      'symbolic-ref',
      'HEAD',
      `refs/heads/${options.defaultBranch}`,
    ]);
  } else {
    git(['init', '-q', '--bare', '-b', options.defaultBranch, gitDir]);
  }
}

/** The branches of a bare repository and the commit each points at. */
export function readBranchHeads(gitDir: string): Map<string, string> {
  const heads = new Map<string, string>();
  if (!fs.existsSync(gitDir)) {
    return heads;
  }
  const output = git([
    '--git-dir',
    gitDir,
    'for-each-ref',
    '--format=%(objectname) %(refname:lstrip=2)',
    'refs/heads',
  ]);
  for (const line of output.split('\n').filter(Boolean)) {
    const space = line.indexOf(' ');
    heads.set(line.slice(space + 1), line.slice(0, space));
  }
  return heads;
}
