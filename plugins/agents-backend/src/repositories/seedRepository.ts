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

/** Where the last seeded commit is kept, so changes made on `main` since are told apart. */
const SEED_REF = 'refs/krate/seed';

/**
 * Makes `target` a bare git repository on `main` holding the files of `directory` (a folder of
 * plain files, e.g. the demo's sample repository), for offline demos that have no remote to
 * clone. The first commit has a fixed author and date, so the same folder always gives the same
 * commit id.
 *
 * What happened on `main` since (a merged memory update, a pushed branch merged) is kept: an
 * unchanged folder leaves `main` alone, and a folder that changed since the last seed is merged
 * into `main` (or, when that conflicts, left out with `main` as it is). Resolves the commit
 * `main` points at.
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
  const head = await commitAt(git, target, 'refs/heads/main');
  // A repository seeded before the seed ref existed was last seeded at its head.
  const seed = (await commitAt(git, target, SEED_REF)) ?? head;
  if (seed && (await git.revParse(target, `${seed}^{tree}`)) === tree) {
    if (head) return head;
  }
  const seeded = (
    await git.run(
      target,
      [
        ...NEUTRAL_CONFIG,
        'commit-tree',
        tree,
        ...(seed ? ['-p', seed] : []),
        '-m',
        seed ? `Update from ${path.basename(directory)}` : 'Initial commit',
      ],
      SEED_IDENTITY,
    )
  ).trim();
  await git.run(target, ['update-ref', SEED_REF, seeded]);
  const main =
    !head || head === seed
      ? seeded
      : await mergeSeed(git, target, head, seeded, directory);
  if (main !== head) {
    await git.run(target, [
      'update-ref',
      'refs/heads/main',
      main,
      ...(head ? [head] : []),
    ]);
  }
  return main;
}

/** `main` with the folder's new content merged in, or `main` unchanged when they conflict. */
async function mergeSeed(
  git: GitCli,
  target: string,
  head: string,
  seeded: string,
  directory: string,
): Promise<string> {
  const merged = await git
    .run(target, ['merge-tree', '--write-tree', head, seeded])
    .catch(() => undefined);
  if (!merged) return head;
  const mergedTree = merged.split('\n', 1)[0].trim();
  return (
    await git.run(
      target,
      [
        ...NEUTRAL_CONFIG,
        'commit-tree',
        mergedTree,
        '-p',
        head,
        '-p',
        seeded,
        '-m',
        `Merge the update from ${path.basename(directory)}`,
      ],
      SEED_IDENTITY,
    )
  ).trim();
}

async function commitAt(git: GitCli, target: string, ref: string) {
  return git.revParse(target, `${ref}^{commit}`).catch(() => undefined);
}

async function exists(file: string) {
  return fs
    .access(file)
    .then(() => true)
    .catch(() => false);
}
