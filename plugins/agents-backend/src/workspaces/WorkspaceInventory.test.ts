import { mockServices } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import path from 'node:path';
import { commit, gitSandbox } from '../__testUtils__/gitFixtures';
import { createTestStore } from '../__testUtils__/createTestStore';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { INVENTORY_ACTOR, WorkspaceInventory } from './WorkspaceInventory';
import { WorkspaceManager } from './WorkspaceManager';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())('WorkspaceInventory on %p', id => {
  let sandbox: ReturnType<typeof gitSandbox>;
  afterEach(() => sandbox?.cleanup());

  it('refreshes git state, marks missing paths and never deletes records', async () => {
    sandbox = gitSandbox();
    const { store, audit } = await createTestStore(databases, id);
    const manager = WorkspaceManager.create({
      store,
      root: sandbox.root,
      repositoryRoots: [sandbox.base],
    });
    const inventory = new WorkspaceInventory({
      store,
      logger: mockServices.logger.mock(),
    });
    for (const name of ['moving', 'gone', 'archived']) {
      await manager.perform({
        namespace: 'acme',
        name,
        action: 'provision',
        params: {
          repository: 'acme/payments-api',
          repositoryPath: sandbox.repo,
          trustTier: 'trusted',
        },
        actor: 'user:default/alice',
      });
    }
    await manager.perform({
      namespace: 'acme',
      name: 'archived',
      action: 'archive',
      params: {},
      actor: 'user:default/alice',
    });
    await store.create(
      {
        apiVersion: 'agents.krate.dev/v1alpha1',
        kind: 'AgentWorkspace',
        metadata: { namespace: 'acme', name: 'external' },
        spec: {
          repository: 'acme/payments-api',
          externalId: 'codespace-1',
          ownership: { kind: 'manual' },
          trustTier: 'trusted',
        },
        status: { state: 'active' },
      },
      { actor: 'user:default/alice' },
    );

    const head = commit(
      path.join(sandbox.root, 'acme', 'moving'),
      'work.txt',
      'work\n',
    );
    fs.rmSync(path.join(sandbox.root, 'acme', 'gone'), { recursive: true });
    fs.rmSync(path.join(sandbox.root, 'acme', 'archived'), { recursive: true });

    expect(await inventory.refreshAll()).toEqual({
      checked: 3,
      updated: 3,
      missing: 2,
    });
    const get = async (name: string) =>
      (await store.get('AgentWorkspace', 'acme', name))!.status as any;
    expect((await get('moving')).git.headSha).toBe(head);
    expect(await get('gone')).toMatchObject({
      state: 'missing',
      pathMissing: true,
    });
    expect((await get('gone')).git).toBeUndefined();
    expect(await get('archived')).toMatchObject({
      state: 'archived',
      pathMissing: true,
    });
    expect(await get('external')).toEqual({ state: 'active' });
    const trail = await audit.listForTarget({
      target: { kind: 'AgentWorkspace', namespace: 'acme', name: 'gone' },
      limit: 1,
    });
    expect(trail[0].actor).toBe(INVENTORY_ACTOR);

    // Nothing changed since: no writes.
    expect(await inventory.refreshAll()).toEqual({
      checked: 3,
      updated: 0,
      missing: 2,
    });

    await manager.perform({
      namespace: 'acme',
      name: 'gone',
      action: 'recover',
      params: {},
      actor: 'user:default/alice',
    });
    await inventory.refreshAll();
    expect(await get('gone')).toMatchObject({
      state: 'active',
      pathMissing: false,
    });
  });
  it('lists the runs and sessions working in each workspace, keeping fresh claims and the run history', async () => {
    sandbox = gitSandbox();
    const { store } = await createTestStore(databases, id);
    const manager = WorkspaceManager.create({
      store,
      root: sandbox.root,
      repositoryRoots: [sandbox.base],
    });
    let now = new Date();
    const inventory = new WorkspaceInventory({
      store,
      logger: mockServices.logger.mock(),
      now: () => now,
    });
    await manager.perform({
      namespace: 'acme',
      name: 'w1',
      action: 'provision',
      params: {
        repository: 'acme/payments-api',
        repositoryPath: sandbox.repo,
        trustTier: 'trusted',
      },
      actor: 'user:default/alice',
    });
    const create = (object: Record<string, any>) =>
      store.create(
        { apiVersion: 'agents.krate.dev/v1alpha1', ...object } as any,
        { actor: 'user:default/alice' },
      );
    const run = (name: string, phase: string) =>
      create({
        kind: 'AgentDispatchRun',
        metadata: { namespace: 'acme', name },
        spec: { stack: 'fixer', prompt: 'x', workspace: 'w1' },
        status: { phase },
      });
    const session = (name: string, state: string) =>
      create({
        kind: 'AgentSession',
        metadata: { namespace: 'acme', name },
        spec: { runtime: 'scripted' },
        status: { state, workspaceRef: 'w1' },
      });
    await run('working', 'Running');
    await run('queued', 'Queued');
    await run('done', 'Succeeded');
    await session('working-1-session', 'active');
    await session('done-1-session', 'ended');
    const status = async () =>
      (await store.get('AgentWorkspace', 'acme', 'w1'))!.status as any;
    // A claim whose run the dispatch is about to create.
    const claimed = await store.get('AgentWorkspace', 'acme', 'w1');
    await store.updateStatus(
      {
        ...claimed!,
        status: {
          ...claimed!.status,
          activeRuns: ['about-to-exist'],
          lastActivityTime: now.toISOString(),
        },
      },
      { actor: 'user:default/alice' },
    );

    await inventory.refreshAll();
    expect(await status()).toMatchObject({
      activeRuns: ['about-to-exist', 'queued', 'working'],
      activeSessions: ['working-1-session'],
      runs: ['about-to-exist', 'queued', 'working'],
    });

    // The claim never became a run; the others finish.
    now = new Date(now.getTime() + 10 * 60_000);
    for (const name of ['working', 'queued']) {
      const stored = await store.get('AgentDispatchRun', 'acme', name);
      await store.updateStatus(
        { ...stored!, status: { phase: 'Succeeded' } },
        { actor: 'user:default/alice' },
      );
    }
    await inventory.refreshAll();
    const after = await status();
    expect(after.activeRuns).toBeUndefined();
    expect(after.activeSessions).toEqual(['working-1-session']);
    expect(after.runs).toEqual(['about-to-exist', 'queued', 'working']);
    expect(after.lastActivityTime).toBe(now.toISOString());
  });
});
