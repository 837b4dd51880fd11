import { runGit } from '../git/runGit';

const TIMEOUT_MS = 60_000;
const MAX_DIFF_BYTES = 8 * 1024 * 1024;

/**
 * The unified diff of some files of a memory repository between two commits, and which of them
 * differ. Paths are literal (runGit sets GIT_LITERAL_PATHSPECS); no paths means no diff.
 */
export async function memoryDiff(
  repositoryPath: string,
  from: string,
  to: string,
  paths: string[],
): Promise<{ diff: string; changed: string[] }> {
  if (paths.length === 0 || from === to) return { diff: '', changed: [] };
  const options = { timeoutMs: TIMEOUT_MS, maxOutputBytes: MAX_DIFF_BYTES };
  const [names, diff] = await Promise.all([
    runGit(
      repositoryPath,
      ['diff', '--name-only', '-z', '--no-renames', from, to, '--', ...paths],
      options,
    ),
    runGit(
      repositoryPath,
      [
        'diff',
        '--no-color',
        '--no-ext-diff',
        '--no-renames',
        from,
        to,
        '--',
        ...paths,
      ],
      options,
    ),
  ]);
  return {
    diff: diff.stdout.toString('utf8'),
    changed: names.stdout.toString('utf8').split('\0').filter(Boolean),
  };
}
