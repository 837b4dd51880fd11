import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { git } from '../__testUtils__/gitFixtures';
import { GitCli } from '../workspaces/GitCli';
import { seedRepository } from './seedRepository';

const SAMPLE = path.resolve(
  __dirname,
  '../../../../examples/repositories/acme/payments-api',
);

// Each test runs tens of git commands: seconds on a loaded machine.
jest.setTimeout(30_000);

describe('seedRepository', () => {
  let base: string;
  beforeEach(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'agents-seed-'));
  });
  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  it('commits the demo sample reproducibly: the same folder gives the same commit', async () => {
    const cli = new GitCli();
    const first = await seedRepository({
      git: cli,
      directory: SAMPLE,
      target: path.join(base, 'one.git'),
    });
    const second = await seedRepository({
      git: cli,
      directory: SAMPLE,
      target: path.join(base, 'two.git'),
    });
    expect(first).toMatch(/^[0-9a-f]{40}$/);
    expect(second).toBe(first);
    const repo = path.join(base, 'one.git');
    expect(git(repo, 'rev-parse', 'refs/heads/main')).toBe(first);
    expect(git(repo, 'log', '-1', '--format=%an <%ae> %aI')).toBe(
      'Krate Demo <demo@krate.invalid> 2024-01-01T00:00:00+00:00',
    );
    expect(git(repo, 'show', 'main:src/rounding.js')).toBe(
      'exports.toCents = amount => Math.floor(amount * 100);',
    );
    expect(
      git(repo, 'ls-tree', '-r', '--name-only', 'main').split('\n'),
    ).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'CONTRIBUTING.md',
        'src/rounding.js',
        'test/rounding.test.js',
      ]),
    );
    // A second start changes nothing.
    expect(
      await seedRepository({
        git: cli,
        directory: SAMPLE,
        target: repo,
      }),
    ).toBe(first);
    expect(git(repo, 'rev-list', '--count', 'main')).toBe('1');
  });

  it('commits a change of the folder on top, and refuses a folder that is not there', async () => {
    const cli = new GitCli();
    const folder = path.join(base, 'files');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'a.txt'), 'one\n');
    const target = path.join(base, 'seed.git');
    const first = await seedRepository({ git: cli, directory: folder, target });
    fs.writeFileSync(path.join(folder, 'a.txt'), 'two\n');
    const second = await seedRepository({
      git: cli,
      directory: folder,
      target,
    });
    expect(second).not.toBe(first);
    expect(git(target, 'rev-parse', `${second}~1`)).toBe(first);
    expect(git(target, 'show', 'main:a.txt')).toBe('two');
    await expect(
      seedRepository({
        git: cli,
        directory: path.join(base, 'nope'),
        target: path.join(base, 'other.git'),
      }),
    ).rejects.toThrow(/does not exist/);
  });

  it('keeps what was committed on main since: a restart leaves it, a changed folder is merged in, a conflicting one is left out', async () => {
    const cli = new GitCli();
    const folder = path.join(base, 'files');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'a.txt'), 'one\n');
    fs.writeFileSync(path.join(folder, 'b.txt'), 'bee\n');
    const target = path.join(base, 'seed.git');
    await seedRepository({ git: cli, directory: folder, target });

    // A merged update lands on main, as a memory merge or a pushed branch would.
    const work = path.join(base, 'work');
    git(base, 'clone', '--quiet', target, work);
    fs.writeFileSync(path.join(work, 'merged.txt'), 'from a review\n');
    git(work, 'add', 'merged.txt');
    git(work, 'commit', '--quiet', '-m', 'A reviewed update');
    git(work, 'push', '--quiet', 'origin', 'main');
    const updated = git(target, 'rev-parse', 'main');

    // The same folder at the next start: main is left as it is.
    expect(await seedRepository({ git: cli, directory: folder, target })).toBe(
      updated,
    );

    // The folder changed since: its change is merged in, the update kept.
    fs.writeFileSync(path.join(folder, 'a.txt'), 'two\n');
    const merged = await seedRepository({
      git: cli,
      directory: folder,
      target,
    });
    expect(git(target, 'rev-parse', `${merged}^1`)).toBe(updated);
    expect(git(target, 'show', 'main:a.txt')).toBe('two');
    expect(git(target, 'show', 'main:merged.txt')).toBe('from a review');

    // A folder change that conflicts with main leaves main as it is.
    git(work, 'pull', '--quiet', 'origin', 'main');
    fs.writeFileSync(path.join(work, 'b.txt'), 'changed on main\n');
    git(work, 'commit', '--quiet', '-am', 'Edit b on main');
    git(work, 'push', '--quiet', 'origin', 'main');
    const edited = git(target, 'rev-parse', 'main');
    fs.writeFileSync(path.join(folder, 'b.txt'), 'changed in the folder\n');
    expect(await seedRepository({ git: cli, directory: folder, target })).toBe(
      edited,
    );
    expect(git(target, 'show', 'main:b.txt')).toBe('changed on main');
  });
});
