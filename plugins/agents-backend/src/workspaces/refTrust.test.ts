import { mockServices } from '@backstage/backend-test-utils';
import path from 'node:path';
import { commit, git, gitSandbox } from '../__testUtils__/gitFixtures';
import { RepositoryMirrors } from '../repositories/RepositoryMirrors';
import { GitCli } from './GitCli';
import { lowerTrust, refTrust } from './refTrust';
import { resolveRef } from './resolveRef';

jest.setTimeout(30_000);

describe('resolveRef and refTrust', () => {
  let sandbox: ReturnType<typeof gitSandbox>;
  const cli = new GitCli();
  beforeEach(() => {
    sandbox = gitSandbox();
  });
  afterEach(() => sandbox.cleanup());

  /** `repo` with a tag, a pull request head and a commit no branch holds; and its cache. */
  async function setUp() {
    const { repo } = sandbox;
    const main = git(repo, 'rev-parse', 'main');
    git(repo, 'tag', 'v1');
    git(repo, 'checkout', '-q', '-b', 'contribution');
    const contributed = commit(repo, 'fork.txt', 'from a fork\n');
    git(repo, 'update-ref', 'refs/pull/3/head', contributed);
    const dangling = commit(repo, 'lost.txt', 'on no branch\n');
    git(repo, 'checkout', '-q', 'main');
    git(repo, 'branch', '-D', 'contribution');
    const cache = await new RepositoryMirrors({
      cacheDir: path.join(sandbox.base, 'cache'),
      fetchIntervalMs: 0,
      logger: mockServices.logger.mock(),
    }).prepare(
      {
        name: 'acme/payments-api',
        url: repo,
        declaredBy: 'agents.repositories',
      },
      'refs/pull/3/head',
    );
    return { repo, cache, main, contributed, dangling };
  }

  const trust = async (
    repository: string,
    ref: string,
    branches: string[] = [],
  ) => {
    const resolved = await resolveRef(cli, repository, ref);
    return resolved
      ? refTrust({
          git: cli,
          repository,
          resolved,
          workspaceBranches: new Set(branches),
        })
      : undefined;
  };

  it('resolves refs in a clone and in a cache, where the remote branches come first', async () => {
    const { repo, cache, main, contributed } = await setUp();
    expect(await resolveRef(cli, repo, 'HEAD')).toEqual({
      sha: main,
      refName: 'refs/heads/main',
    });
    expect(await resolveRef(cli, cache, 'HEAD')).toEqual({
      sha: main,
      refName: 'refs/remotes/origin/main',
    });
    expect(await resolveRef(cli, cache, 'main')).toEqual({
      sha: main,
      refName: 'refs/remotes/origin/main',
    });
    expect(await resolveRef(cli, cache, 'refs/heads/main')).toMatchObject({
      sha: main,
    });
    expect(await resolveRef(cli, cache, 'v1')).toEqual({
      sha: main,
      refName: 'refs/tags/v1',
    });
    expect(await resolveRef(cli, cache, 'refs/pull/3/head')).toEqual({
      sha: contributed,
      refName: 'refs/fetched/pull/3/head',
    });
    expect(await resolveRef(cli, cache, main)).toEqual({ sha: main });
    expect(await resolveRef(cli, cache, 'nope')).toBeUndefined();

    // A workspace branch in the cache never shadows the remote's branch of that name.
    git(cache, 'branch', 'main', contributed);
    expect((await resolveRef(cli, cache, 'main'))?.sha).toBe(main);
  });

  it('trusts the repository’s own branches and tags, forks pull request heads, distrusts other commits', async () => {
    const { repo, cache, main, contributed, dangling } = await setUp();
    for (const repository of [repo, cache]) {
      expect(await trust(repository, 'HEAD')).toBe('trusted');
      expect(await trust(repository, 'main')).toBe('trusted');
      expect(await trust(repository, 'v1')).toBe('trusted');
      expect(await trust(repository, main)).toBe('trusted');
      expect(await trust(repository, 'refs/pull/3/head')).toBe('forked');
    }
    expect(await trust(repo, contributed)).toBe('untrusted');
    expect(await trust(repo, dangling)).toBe('untrusted');
    expect(await trust(cache, contributed)).toBe('untrusted');
  });

  it('never trusts commits only a workspace branch holds: agents wrote them', async () => {
    const { repo, cache } = await setUp();
    const worktree = path.join(sandbox.root, 'w1');
    git(repo, 'worktree', 'add', '-q', '-b', 'agents/w1', worktree, 'main');
    const agentWork = commit(worktree, 'agent.txt', 'agent work\n');
    expect(await trust(repo, 'agents/w1', ['refs/heads/agents/w1'])).toBe(
      'untrusted',
    );
    expect(await trust(repo, agentWork, ['refs/heads/agents/w1'])).toBe(
      'untrusted',
    );
    const cached = path.join(sandbox.root, 'w2');
    git(
      cache,
      'worktree',
      'add',
      '-q',
      '-b',
      'agents/w2',
      cached,
      'origin/main',
    );
    const cachedWork = commit(cached, 'agent.txt', 'agent work\n');
    // In a cache every local branch is a workspace branch, listed or not.
    expect(await trust(cache, 'agents/w2')).toBe('untrusted');
    expect(await trust(cache, cachedWork)).toBe('untrusted');
  });

  it('lowers, never raises, a tier', () => {
    expect(lowerTrust('trusted', 'untrusted')).toBe('untrusted');
    expect(lowerTrust('untrusted', 'trusted')).toBe('untrusted');
    expect(lowerTrust('forked', 'untrusted')).toBe('forked');
    expect(lowerTrust('trusted', undefined)).toBe('trusted');
  });
});
