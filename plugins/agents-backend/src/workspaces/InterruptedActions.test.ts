import { mockServices } from '@backstage/backend-test-utils';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commit, git, gitSandbox } from '../__testUtils__/gitFixtures';
import { createTestStore } from '../__testUtils__/createTestStore';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { StoredResource } from '../resources/ResourceStore';
import { InterruptedActions, RECOVERY_ACTOR } from './InterruptedActions';
import { WorkspaceInventory } from './WorkspaceInventory';
import { WorkspaceManager } from './WorkspaceManager';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const ALICE = 'user:default/alice';
const HOST = os.hostname();

/** The id of a process that has exited: what a backend killed mid-action leaves behind. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

describe.each(databases.eachSupportedId())('InterruptedActions on %p', id => {
  let sandbox: ReturnType<typeof gitSandbox>;
  let sleeper: ChildProcess | undefined;
  afterEach(() => {
    sleeper?.kill();
    sleeper = undefined;
    sandbox?.cleanup();
  });

  async function setUp() {
    sandbox = gitSandbox();
    const { store, audit } = await createTestStore(databases, id);
    const manager = WorkspaceManager.create({
      store,
      root: sandbox.root,
      repositoryRoots: [sandbox.base],
    });
    const startedAt = new Date();
    const recovery = new InterruptedActions({
      store,
      logger: mockServices.logger.mock(),
      startedAt,
    });
    const get = async (name: string) =>
      (await store.get('AgentWorkspace', 'acme', name)) as StoredResource & {
        spec: any;
        status: any;
      };
    const provision = (name: string) =>
      manager.perform({
        namespace: 'acme',
        name,
        action: 'provision',
        params: {
          repository: 'acme/payments-api',
          repositoryPath: sandbox.repo,
          trustTier: 'trusted',
        },
        actor: ALICE,
      });
    /** Marks the workspace's last action in progress, as a backend that died mid-action left it. */
    const interrupt = async (
      name: string,
      action: string,
      instance: string,
      time = new Date(startedAt.getTime() - 1000),
    ) => {
      const workspace = await get(name);
      await store.updateStatus(
        {
          ...workspace,
          status: {
            ...workspace.status,
            lastAction: {
              action,
              actor: ALICE,
              time: time.toISOString(),
              result: 'in-progress',
              message: 'started',
              instance,
            },
          },
        },
        { actor: ALICE },
      );
    };
    return { store, audit, manager, recovery, get, provision, interrupt };
  }

  it('completes a provision whose checkout was cut short, and refuses other actions meanwhile', async () => {
    const { manager, recovery, get, provision, interrupt, audit } =
      await setUp();
    await provision('w1');
    const worktree = path.join(sandbox.root, 'acme', 'w1');
    // What a killed `git worktree add` leaves: a locked worktree without index and files.
    git(sandbox.repo, 'worktree', 'lock', '--reason', 'initializing', worktree);
    fs.rmSync(path.join(sandbox.repo, '.git', 'worktrees', 'w1', 'index'));
    fs.rmSync(path.join(worktree, 'README.md'));
    await interrupt('w1', 'provision', `${HOST}:${deadPid()}`);

    await expect(
      manager.perform({
        namespace: 'acme',
        name: 'w1',
        action: 'pin',
        params: {},
        actor: ALICE,
      }),
    ).rejects.toThrow(/provision by user:default\/alice is in progress/);

    expect(await recovery.recoverAll()).toEqual([
      expect.objectContaining({ workspace: 'acme/w1', result: 'succeeded' }),
    ]);
    expect(fs.readFileSync(path.join(worktree, 'README.md'), 'utf8')).toBe(
      'hello\n',
    );
    expect(git(sandbox.repo, 'worktree', 'list', '--porcelain')).not.toContain(
      'locked',
    );
    expect((await get('w1')).status).toMatchObject({
      state: 'active',
      lastAction: {
        action: 'provision',
        actor: ALICE,
        result: 'succeeded',
        message: expect.stringContaining('completed after a backend restart'),
      },
      git: { dirty: false, uncommittedCount: 0 },
    });
    expect((await get('w1')).status.lastAction.instance).toBeUndefined();
    const trail = await audit.listForTarget({
      target: { kind: 'AgentWorkspace', namespace: 'acme', name: 'w1' },
      limit: 1,
    });
    expect(trail[0].actor).toBe(RECOVERY_ACTOR);
    // Nothing left in progress: a second pass does nothing.
    expect(await recovery.recoverAll()).toEqual([]);
  });

  it('reports a provision cut short before its worktree existed as failed, and recover makes it', async () => {
    const { store, manager, recovery, get } = await setUp();
    const head = git(sandbox.repo, 'rev-parse', 'HEAD');
    const worktree = path.join(sandbox.root, 'acme', 'w2');
    await store.create(
      {
        apiVersion: 'agents.krate.dev/v1alpha1',
        kind: 'AgentWorkspace',
        metadata: {
          namespace: 'acme',
          name: 'w2',
          annotations: { 'agents.krate.dev/repository-path': sandbox.repo },
        },
        spec: {
          repository: 'acme/payments-api',
          path: worktree,
          branch: 'agents/w2',
          ref: 'HEAD',
          sha: head,
          ownership: { kind: 'manual' },
          trustTier: 'trusted',
        },
        status: {
          state: 'active',
          lastAction: {
            action: 'provision',
            actor: ALICE,
            time: new Date(Date.now() - 1000).toISOString(),
            result: 'in-progress',
            message: 'started',
            instance: `${HOST}:${deadPid()}`,
          },
        },
      },
      { actor: ALICE },
    );
    const [recovered] = await recovery.recoverAll();
    expect(recovered).toMatchObject({ result: 'failed' });
    expect((await get('w2')).status).toMatchObject({
      state: 'missing',
      pathMissing: true,
      lastAction: {
        action: 'provision',
        result: 'failed',
        message: expect.stringContaining('interrupted by a backend restart'),
      },
    });
    await manager.perform({
      namespace: 'acme',
      name: 'w2',
      action: 'recover',
      params: {},
      actor: ALICE,
    });
    expect(git(worktree, 'rev-parse', 'HEAD')).toBe(head);
  });

  it('completes a cleanup that removed the worktree, and fails one that did not get to it', async () => {
    const { recovery, get, provision, interrupt } = await setUp();
    await provision('gone');
    await provision('kept');
    const gone = path.join(sandbox.root, 'acme', 'gone');
    git(sandbox.repo, 'worktree', 'remove', gone);
    await interrupt('gone', 'cleanup', `${HOST}:${deadPid()}`);
    await interrupt('kept', 'cleanup', `${HOST}:${deadPid()}`);

    await recovery.recoverAll();
    expect((await get('gone')).status).toMatchObject({
      state: 'archived',
      pathMissing: true,
      lastAction: { action: 'cleanup', result: 'succeeded' },
    });
    expect((await get('kept')).status).toMatchObject({
      state: 'active',
      pathMissing: false,
      lastAction: {
        action: 'cleanup',
        result: 'failed',
        message: expect.stringContaining('the worktree is still there'),
      },
    });
    expect(fs.existsSync(path.join(sandbox.root, 'acme', 'kept'))).toBe(true);
  });

  it('reports a rebase cut short with the rebase still in progress', async () => {
    const { recovery, get, provision, interrupt } = await setUp();
    await provision('w1');
    const worktree = path.join(sandbox.root, 'acme', 'w1');
    commit(worktree, 'README.md', 'ours\n');
    const onto = commit(sandbox.repo, 'README.md', 'theirs\n');
    expect(() => git(worktree, 'rebase', onto)).toThrow();
    await interrupt('w1', 'rebase-start', `${HOST}:${deadPid()}`);

    await recovery.recoverAll();
    expect((await get('w1')).status).toMatchObject({
      lastAction: {
        action: 'rebase-start',
        result: 'failed',
        message: expect.stringContaining('a rebase is in progress'),
      },
      git: { rebaseInProgress: true, conflictingFiles: ['README.md'] },
    });
  });

  it('leaves actions of live processes alone, and takes over those of this process before it started and stale ones', async () => {
    const { store, recovery, get, provision, interrupt } = await setUp();
    sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    for (const name of ['live', 'mine-now', 'mine-before', 'remote', 'stale']) {
      await provision(name);
    }
    await interrupt('live', 'cleanup', `${HOST}:${sleeper.pid}`);
    await interrupt(
      'mine-now',
      'cleanup',
      `${HOST}:${process.pid}`,
      new Date(Date.now() + 1000),
    );
    await interrupt('mine-before', 'cleanup', `${HOST}:${process.pid}`);
    await interrupt('remote', 'cleanup', 'other-host:42');
    await interrupt(
      'stale',
      'cleanup',
      'other-host:42',
      new Date(Date.now() - 16 * 60_000),
    );

    const recovered = await recovery.recoverAll();
    expect(recovered.map(r => r.workspace).sort()).toEqual([
      'acme/mine-before',
      'acme/stale',
    ]);
    for (const name of ['live', 'mine-now', 'remote']) {
      expect((await get(name)).status.lastAction.result).toBe('in-progress');
    }

    // The inventory leaves a workspace with an action in progress to that action.
    const before = await get('live');
    fs.rmSync(path.join(sandbox.root, 'acme', 'live'), { recursive: true });
    await new WorkspaceInventory({
      store,
      logger: mockServices.logger.mock(),
    }).refreshAll();
    expect((await get('live')).metadata.resourceVersion).toBe(
      before.metadata.resourceVersion,
    );
  });
});
