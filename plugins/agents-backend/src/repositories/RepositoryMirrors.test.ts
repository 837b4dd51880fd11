import { mockServices } from '@backstage/backend-test-utils';
import { ServiceUnavailableError } from '@backstage/errors';
import fs from 'node:fs';
import path from 'node:path';
import { commit, git, gitSandbox } from '../__testUtils__/gitFixtures';
import { RepositoryDefinition } from './RepositoryDefinition';
import { RepositoryMirrors } from './RepositoryMirrors';

jest.setTimeout(30_000);

describe('RepositoryMirrors', () => {
  let sandbox: ReturnType<typeof gitSandbox>;
  let clock: number;
  let logger: ReturnType<typeof mockServices.logger.mock>;
  beforeEach(() => {
    sandbox = gitSandbox();
    clock = 1_000_000;
    logger = mockServices.logger.mock();
  });
  afterEach(() => sandbox.cleanup());

  const mirrors = () =>
    new RepositoryMirrors({
      cacheDir: path.join(sandbox.base, 'cache'),
      fetchIntervalMs: 60_000,
      logger,
      now: () => clock,
    });
  const payments = (): RepositoryDefinition => ({
    name: 'acme/payments-api',
    url: sandbox.repo,
    declaredBy: 'agents.repositories',
  });

  it('clones once into a bare cache whose remote branches live apart from workspace branches', async () => {
    const cache = await mirrors().prepare(payments());
    expect(cache).toBe(
      path.join(sandbox.base, 'cache', 'acme', 'payments-api.git'),
    );
    expect(git(cache, 'rev-parse', '--is-bare-repository')).toBe('true');
    const main = git(sandbox.repo, 'rev-parse', 'main');
    expect(git(cache, 'rev-parse', 'refs/remotes/origin/main')).toBe(main);
    expect(git(cache, 'symbolic-ref', 'refs/remotes/origin/HEAD')).toBe(
      'refs/remotes/origin/main',
    );
    expect(
      git(cache, 'for-each-ref', '--format=%(refname)', 'refs/heads'),
    ).toBe('');
    expect(fs.readdirSync(path.join(sandbox.base, 'cache', 'acme'))).toEqual([
      'payments-api.git',
    ]);
  });

  it('fetches on demand at most once per interval, and keeps the worktree branches a fetch would prune', async () => {
    const cache = mirrors();
    const dir = await cache.prepare(payments());
    const worktree = path.join(sandbox.root, 'w1');
    git(
      dir,
      'worktree',
      'add',
      '-q',
      '-b',
      'agents/w1',
      worktree,
      'origin/main',
    );

    const second = commit(sandbox.repo, 'src/a.js', 'one\n');
    clock += 30_000;
    await cache.prepare(payments());
    expect(git(dir, 'rev-parse', 'refs/remotes/origin/main')).not.toBe(second);

    clock += 30_000;
    await cache.prepare(payments());
    expect(git(dir, 'rev-parse', 'refs/remotes/origin/main')).toBe(second);
    expect(git(dir, 'rev-parse', '--verify', 'refs/heads/agents/w1')).toMatch(
      /^[0-9a-f]{40}$/,
    );
    expect(git(worktree, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe(
      'agents/w1',
    );

    git(sandbox.repo, 'tag', 'v1');
    git(sandbox.repo, 'branch', 'gone');
    clock += 60_000;
    await cache.prepare(payments());
    expect(git(dir, 'rev-parse', 'refs/tags/v1')).toBe(second);
    git(sandbox.repo, 'branch', '-D', 'gone');
    clock += 60_000;
    await cache.prepare(payments());
    expect(
      git(
        dir,
        'for-each-ref',
        '--format=%(refname)',
        'refs/remotes/origin/gone',
      ),
    ).toBe('');
  });

  it('fetches a pull request head asked for by name into refs/fetched', async () => {
    const cache = mirrors();
    await cache.prepare(payments());
    git(sandbox.repo, 'checkout', '-q', '-b', 'contribution');
    const contributed = commit(sandbox.repo, 'src/b.js', 'fork\n');
    git(sandbox.repo, 'update-ref', 'refs/pull/7/head', contributed);
    git(sandbox.repo, 'checkout', '-q', 'main');
    git(sandbox.repo, 'branch', '-D', 'contribution');

    const dir = await cache.prepare(payments(), 'refs/pull/7/head');
    expect(git(dir, 'rev-parse', 'refs/fetched/pull/7/head')).toBe(contributed);
  });

  it('uses the cache as it is when a fetch fails, and reports a clone that fails without the URL credentials', async () => {
    const cache = mirrors();
    const dir = await cache.prepare(payments());
    const main = git(dir, 'rev-parse', 'refs/remotes/origin/main');
    fs.renameSync(sandbox.repo, `${sandbox.repo}-moved`);
    clock += 120_000;
    await expect(cache.prepare(payments())).resolves.toBe(dir);
    expect(git(dir, 'rev-parse', 'refs/remotes/origin/main')).toBe(main);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'Fetching acme/payments-api failed, using the cached state',
      ),
    );

    const missing = cache.prepare({
      name: 'acme/private',
      url: 'http://user:s3cret-token@127.0.0.1:9/acme/private',
      declaredBy: 'agents.repositories',
    });
    await expect(missing).rejects.toThrow(ServiceUnavailableError);
    await expect(missing).rejects.toThrow(
      /Cannot clone repository acme\/private/,
    );
    await expect(missing).rejects.not.toThrow(/s3cret-token/);
    expect(fs.readdirSync(path.join(sandbox.base, 'cache', 'acme'))).toEqual([
      'payments-api.git',
    ]);
  });

  it('serializes concurrent preparations of one repository', async () => {
    const cache = mirrors();
    const dirs = await Promise.all(
      Array.from({ length: 4 }, () => cache.prepare(payments())),
    );
    expect(new Set(dirs).size).toBe(1);
    // One clone, the others waited for it and found the cache.
    expect(
      logger.info.mock.calls.filter(([message]) =>
        String(message).startsWith('Cached repository acme/payments-api'),
      ),
    ).toHaveLength(1);
    expect(git(dirs[0], 'rev-parse', 'refs/remotes/origin/main')).toBe(
      git(sandbox.repo, 'rev-parse', 'main'),
    );
  });
});
