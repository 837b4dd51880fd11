import { promises as fs } from 'node:fs';
import path from 'node:path';
import { GitCli } from '../workspaces/GitCli';

/** Who and when seed commits are made as, so the same folder always gives the same commit. */
const SEED_IDENTITY = {
  GIT_AUTHOR_NAME: 'Krate Demo',
  GIT_AUTHOR_EMAIL: 'demo@krate.invalid',
  GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z',
  GIT_COMMITTER_NAME: 'Krate Demo',
  GIT_COMMITTER_EMAIL: 'demo@krate.invalid',
  GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z',
};

/** Settings a user's git configuration must not change: they would change the commit. */
const NEUTRAL_CONFIG = [
  'commit.gpgsign=false',
  'core.autocrlf=false',
  'core.safecrlf=false',
  'core.excludesFile=/dev/null',
  'core.attributesFile=/dev/null',
  'core.fileMode=true',
].flatMap(setting => ['-c', setting]);

/**
 * Makes `target` a bare git repository on `main` holding the files of `directory` (a folder of
 * plain files, e.g. the demo's sample repository), for offline demos that have no remote to
 * clone. The first commit has a fixed author and date, so the same folder always gives the same
 * commit id; when the folder changed since, its content becomes a new commit on `main`.
 * Resolves the commit `main` points at.
 */
export async function seedRepository(options: {
  git: GitCli;
  directory: string;
  target: string;
}): Promise<string> {
  const { git, directory, target } = options;
  const stat = await fs.stat(directory).catch(() => undefined);
  if (!stat?.isDirectory()) {
    throw new Error(`The seed folder ${directory} does not exist`);
  }
  if (!(await exists(path.join(target, 'HEAD')))) {
    await fs.mkdir(target, { recursive: true });
    await git.run(target, [
      'init',
      '--quiet',
      '--bare',
      '--initial-branch=main',
    ]);
  }
  const withTree = [...NEUTRAL_CONFIG, `--work-tree=${directory}`];
  await git.run(target, [...withTree, 'add', '--all', '--', '.']);
  const tree = (await git.run(target, ['write-tree'])).trim();
  const head = await git
    .revParse(target, 'refs/heads/main^{commit}')
    .catch(() => undefined);
  if (head) {
    const headTree = await git.revParse(target, `${head}^{tree}`);
    if (headTree === tree) {
      return head;
    }
  }
  const commit = (
    await git.run(
      target,
      [
        ...NEUTRAL_CONFIG,
        'commit-tree',
        tree,
        ...(head ? ['-p', head] : []),
        '-m',
        head ? `Update from ${path.basename(directory)}` : 'Initial commit',
      ],
      SEED_IDENTITY,
    )
  ).trim();
  await git.run(target, ['update-ref', 'refs/heads/main', commit]);
  return commit;
}

async function exists(file: string) {
  return fs
    .access(file)
    .then(() => true)
    .catch(() => false);
}
