import { mockServices } from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import fs from 'node:fs';
import path from 'node:path';
import { commit, git, gitSandbox } from '../__testUtils__/gitFixtures';
import { createTestStore } from '../__testUtils__/createTestStore';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { Repositories } from '../repositories/Repositories';
import { RepositoryMirrors } from '../repositories/RepositoryMirrors';
import { ResourceStore } from '../resources/ResourceStore';
import { WorkspaceManager } from '../workspaces/WorkspaceManager';
import { RunWorkspaces } from './RunWorkspaces';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const ALICE = 'user:default/alice';

describe.each(databases.eachSupportedId())('RunWorkspaces on %p', id => {
  let sandbox: ReturnType<typeof gitSandbox>;
  afterEach(() => sandbox?.cleanup());

  async function setUp() {
    sandbox = gitSandbox();
    const { store } = await createTestStore(databases, id);
    const logger = mockServices.logger.mock();
    const repositories = new Repositories({
      repositoryRoots: [path.join(sandbox.base, 'clones')],
      configured: [
        {
          name: 'acme/payments-api',
          url: sandbox.repo,
          declaredBy: 'agents.repositories',
        },
      ],
      mirrors: new RepositoryMirrors({
        cacheDir: path.join(sandbox.base, 'cache'),
        fetchIntervalMs: 0,
        logger,
      }),
      logger,
    });
    const workspaces = WorkspaceManager.create({
      store,
      root: sandbox.root,
      repositoryRoots: repositories.roots,
      repositories,
    });
    const runWorkspaces = new RunWorkspaces({
      workspaces,
      repositories,
      store,
    });
    const dispatch = (
      run: string,
      options: {
        ref?: string;
        workspacePolicy?: string;
        repository?: string;
      } = {},
    ) =>
      runWorkspaces.provision({
        namespace: 'acme',
        run,
        repository: 'acme/payments-api',
        actor: ALICE,
        ...options,
      });
    const workspace = async (name: string) =>
      (await store.get('AgentWorkspace', 'acme', name)) as any;
    return { store, workspaces, dispatch, workspace };
  }

  /** The run record the dispatch creates after the workspace, in a phase. */
  function runRecord(
    store: ResourceStore,
    name: string,
    workspace: string,
    phase: string,
  ) {
    return store.create(
      {
        apiVersion: 'agents.krate.dev/v1alpha1',
        kind: 'AgentDispatchRun',
        metadata: { namespace: 'acme', name },
        spec: { stack: 'fixer', prompt: 'x', workspace },
        status: { phase },
      },
      { actor: ALICE },
    );
  }

  function policy(store: ResourceStore, spec: Record<string, unknown>) {
    return store.create(
      {
        apiVersion: 'agents.krate.dev/v1alpha1',
        kind: 'AgentWorkspacePolicy',
        metadata: { namespace: 'acme', name: 'default' },
        spec: {
          provisioning: { mode: 'reuse', root: '.' },
          trustTiers: [
            {
              tier: 'trusted',
              isolation: 'shared',
              serviceAccountName: 'agent-default',
            },
            {
              tier: 'untrusted',
              isolation: 'isolated',
              serviceAccountName: 'agent-untrusted',
            },
            {
              tier: 'forked',
              isolation: 'isolated',
              serviceAccountName: 'agent-untrusted',
            },
          ],
          ...spec,
        },
      },
      { actor: ALICE },
    );
  }

  it('gives a run a fresh worktree of the repository cache, fetched first, and records the run on it', async () => {
    const { dispatch, workspace } = await setUp();
    expect(await dispatch('r1', { ref: 'main' })).toBe('r1');
    const first = await workspace('r1');
    const cache = path.join(sandbox.base, 'cache', 'acme', 'payments-api.git');
    expect(first.spec).toMatchObject({
      repository: 'acme/payments-api',
      path: path.join(sandbox.root, 'acme', 'r1'),
      branch: 'agents/r1',
      ref: 'main',
      sha: git(sandbox.repo, 'rev-parse', 'main'),
      trustTier: 'trusted',
      ownership: { kind: 'dispatch-run', ref: 'r1' },
    });
    expect(first.metadata.annotations['agents.krate.dev/repository-path']).toBe(
      cache,
    );
    expect(first.status).toMatchObject({
      state: 'active',
      activeRuns: ['r1'],
      runs: ['r1'],
    });
    expect(git(first.spec.path, 'rev-parse', '--git-common-dir')).toBe(cache);

    const upstream = commit(sandbox.repo, 'src/money.js', 'exports.x = 1;\n');
    await dispatch('r2', { ref: 'main' });
    expect((await workspace('r2')).spec.sha).toBe(upstream);
    expect(
      fs.readFileSync(
        path.join(sandbox.root, 'acme', 'r2', 'src/money.js'),
        'utf8',
      ),
    ).toBe('exports.x = 1;\n');
  });

  it('reuses an idle trusted workspace of the same repository, ref and policy, fast-forwarded to the ref', async () => {
    const { store, dispatch, workspace } = await setUp();
    await policy(store, {});
    await dispatch('r1', { ref: 'main' });
    await runRecord(store, 'r1', 'r1', 'Succeeded');
    const upstream = commit(sandbox.repo, 'src/money.js', 'exports.x = 2;\n');

    expect(await dispatch('r2', { ref: 'main' })).toBe('r1');
    const shared = await workspace('r1');
    expect(shared.status).toMatchObject({
      state: 'active',
      activeRuns: ['r2'],
      runs: ['r1', 'r2'],
      git: { headSha: upstream, branch: 'agents/r1', dirty: false },
    });
    expect(git(shared.spec.path, 'rev-parse', 'HEAD')).toBe(upstream);
    expect(await workspace('r2')).toBeUndefined();

    // Another ref is not compatible.
    git(sandbox.repo, 'branch', 'release');
    await runRecord(store, 'r2', 'r1', 'Succeeded');
    expect(await dispatch('r3', { ref: 'release' })).toBe('r3');
  });

  it('does not reuse a workspace a run works in, one with changes, a pinned one or one with commits beyond the ref', async () => {
    const { store, workspaces, dispatch, workspace } = await setUp();
    await policy(store, {});
    await dispatch('busy', { ref: 'main' });
    await runRecord(store, 'busy', 'busy', 'Running');
    expect(await dispatch('r1', { ref: 'main' })).toBe('r1');

    // A claim whose run record does not exist yet keeps the workspace busy too.
    expect(await dispatch('r2', { ref: 'main' })).toBe('r2');

    await runRecord(store, 'r1', 'r1', 'Succeeded');
    fs.writeFileSync(path.join(sandbox.root, 'acme', 'r1', 'scratch.txt'), 'x');
    await runRecord(store, 'r2', 'r2', 'Succeeded');
    await workspaces.perform({
      namespace: 'acme',
      name: 'r2',
      action: 'pin',
      params: {},
      actor: ALICE,
    });
    expect(await dispatch('r3', { ref: 'main' })).toBe('r3');

    await runRecord(store, 'r3', 'r3', 'Succeeded');
    commit(path.join(sandbox.root, 'acme', 'r3'), 'agent.txt', 'agent work\n');
    expect(await dispatch('r4', { ref: 'main' })).toBe('r4');
    expect((await workspace('r1')).status.runs).toEqual(['r1']);
  });

  it('never lets untrusted or forked work reuse a workspace: each gets an isolated one saying so', async () => {
    const { store, dispatch, workspace } = await setUp();
    await policy(store, {});
    await dispatch('trusted', { ref: 'main' });
    await runRecord(store, 'trusted', 'trusted', 'Succeeded');

    git(sandbox.repo, 'checkout', '-q', '-b', 'contribution');
    const contributed = commit(sandbox.repo, 'fork.txt', 'from a fork\n');
    git(sandbox.repo, 'update-ref', 'refs/pull/9/head', contributed);
    git(sandbox.repo, 'checkout', '-q', 'main');
    git(sandbox.repo, 'branch', '-D', 'contribution');

    expect(await dispatch('pr', { ref: 'refs/pull/9/head' })).toBe('pr');
    expect((await workspace('pr')).spec).toMatchObject({
      trustTier: 'forked',
      serviceAccountName: 'agent-untrusted',
      sha: contributed,
    });
    await runRecord(store, 'pr', 'pr', 'Succeeded');
    expect(await dispatch('pr-again', { ref: 'refs/pull/9/head' })).toBe(
      'pr-again',
    );

    expect(await dispatch('sha', { ref: contributed })).toBe('sha');
    expect((await workspace('sha')).spec).toMatchObject({
      trustTier: 'untrusted',
      serviceAccountName: 'agent-untrusted',
    });
    expect((await workspace('trusted')).status.runs).toEqual(['trusted']);
  });

  it('provisions fresh under a fresh policy, and reuses only under the policy the workspace was made for', async () => {
    const { store, dispatch } = await setUp();
    await policy(store, { provisioning: { mode: 'fresh', root: '.' } });
    await dispatch('r1', { ref: 'main' });
    await runRecord(store, 'r1', 'r1', 'Succeeded');
    expect(await dispatch('r2', { ref: 'main' })).toBe('r2');

    await store.create(
      {
        apiVersion: 'agents.krate.dev/v1alpha1',
        kind: 'AgentWorkspacePolicy',
        metadata: { namespace: 'acme', name: 'warm' },
        spec: { provisioning: { mode: 'reuse', root: '.' } },
      },
      { actor: ALICE },
    );
    expect(await dispatch('r3', { ref: 'main', workspacePolicy: 'warm' })).toBe(
      'r3',
    );
    await runRecord(store, 'r3', 'r3', 'Succeeded');
    expect(await dispatch('r4', { ref: 'main', workspacePolicy: 'warm' })).toBe(
      'r3',
    );
  });

  it('gives one idle workspace to one of two runs claiming it at once', async () => {
    const { store, dispatch } = await setUp();
    await policy(store, {});
    await dispatch('r1', { ref: 'main' });
    await runRecord(store, 'r1', 'r1', 'Succeeded');
    const claims = {
      a: dispatch('a', { ref: 'main' }),
      b: dispatch('b', { ref: 'main' }),
    };
    const got = { a: await claims.a, b: await claims.b };
    const reused = Object.entries(got).filter(([, ws]) => ws === 'r1');
    const fresh = Object.entries(got).filter(([, ws]) => ws !== 'r1');
    expect(reused).toHaveLength(1);
    expect(fresh).toHaveLength(1);
    expect(fresh[0][1]).toBe(fresh[0][0]);
  });

  it('answers undefined for a repository it does not know, bad input for a ref it lacks, and refuses a policy root outside the root', async () => {
    const { store, dispatch, workspace } = await setUp();
    expect(
      await dispatch('r0', { repository: 'acme/unknown' }),
    ).toBeUndefined();
    await expect(dispatch('r1', { ref: 'no-such-branch' })).rejects.toThrow(
      "ref: 'no-such-branch' is not a commit of acme/payments-api",
    );
    expect(await workspace('r1')).toBeUndefined();
    await policy(store, {
      provisioning: { mode: 'fresh', root: '/var/lib/krate/workspaces' },
    });
    await expect(dispatch('r2', { ref: 'main' })).rejects.toBeInstanceOf(
      NotAllowedError,
    );
    await expect(dispatch('r2', { ref: 'main' })).rejects.toThrow(
      /^workspace: AgentWorkspacePolicy acme\/default: provisioning.root '\/var\/lib\/krate\/workspaces' is outside the workspace root/,
    );
    expect(await workspace('r2')).toBeUndefined();
  });
  it('recovers a run workspace whose cache and worktree were deleted, cloning the cache again', async () => {
    const { workspaces, dispatch, workspace } = await setUp();
    await dispatch('r1', { ref: 'main' });
    const cache = path.join(sandbox.base, 'cache');
    fs.rmSync(cache, { recursive: true });
    fs.rmSync(path.join(sandbox.root, 'acme', 'r1'), { recursive: true });
    const result = await workspaces.perform({
      namespace: 'acme',
      name: 'r1',
      action: 'recover',
      params: {},
      actor: ALICE,
    });
    expect(result.status).toMatchObject({
      state: 'active',
      pathMissing: false,
      git: { branch: 'agents/r1', headSha: (await workspace('r1')).spec.sha },
    });
    expect(
      git(
        path.join(sandbox.root, 'acme', 'r1'),
        'rev-parse',
        '--git-common-dir',
      ),
    ).toBe(path.join(cache, 'acme', 'payments-api.git'));
  });
});
