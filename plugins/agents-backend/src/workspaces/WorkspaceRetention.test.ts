import { mockServices } from '@backstage/backend-test-utils';
import { AgentWorkspace } from '@krate/plugin-agents-common';
import fs from 'node:fs';
import path from 'node:path';
import { gitSandbox } from '../__testUtils__/gitFixtures';
import { createTestStore } from '../__testUtils__/createTestStore';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { StoredResource } from '../resources/ResourceStore';
import { INVENTORY_ACTOR, WorkspaceInventory } from './WorkspaceInventory';
import { WorkspaceManager } from './WorkspaceManager';
import { WorkspaceRetention } from './WorkspaceRetention';
import { WorkspaceRuns } from './WorkspaceRuns';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const ALICE = 'user:default/alice';
const HOUR = 60 * 60_000;

describe.each(databases.eachSupportedId())('WorkspaceRetention on %p', id => {
  let sandbox: ReturnType<typeof gitSandbox>;
  afterEach(() => sandbox?.cleanup());

  async function setUp() {
    sandbox = gitSandbox();
    const { store } = await createTestStore(databases, id);
    const clock = { offsetMs: 0 };
    const now = () => new Date(Date.now() + clock.offsetMs);
    const logger = mockServices.logger.mock();
    const manager = WorkspaceManager.create({
      store,
      root: sandbox.root,
      repositoryRoots: [sandbox.base],
    });
    const inventory = new WorkspaceInventory({ store, logger, now });
    const retention = new WorkspaceRetention({
      store,
      workspaces: manager,
      logger,
      now,
    });
    /** One inventory round, as the scheduled task runs it. */
    const pass = async () => {
      await inventory.refreshAll();
      return retention.applyAll();
    };
    const get = async (name: string) =>
      (await store.get('AgentWorkspace', 'acme', name)) as StoredResource & {
        spec: any;
        status: any;
      };
    const policy = (name: string, spec: Record<string, unknown>) =>
      store.create(
        {
          apiVersion: 'agents.krate.dev/v1alpha1',
          kind: 'AgentWorkspacePolicy',
          metadata: { namespace: 'acme', name },
          spec: { provisioning: { mode: 'fresh', root: '.' }, ...spec },
        },
        { actor: ALICE },
      );
    const provision = (name: string, params: Record<string, unknown> = {}) =>
      manager.perform({
        namespace: 'acme',
        name,
        action: 'provision',
        params: {
          repository: 'acme/payments-api',
          repositoryPath: sandbox.repo,
          trustTier: 'trusted',
          ...params,
        },
        actor: ALICE,
      });
    /** A run dispatched into the workspace, then finished. */
    const finishedRun = async (workspace: string, run: string) => {
      await new WorkspaceRuns(store).attach(
        (await get(workspace)) as AgentWorkspace,
        run,
        ALICE,
      );
      await store.create(
        {
          apiVersion: 'agents.krate.dev/v1alpha1',
          kind: 'AgentDispatchRun',
          metadata: { namespace: 'acme', name: run },
          spec: { stack: 'fixer', prompt: 'x', workspace },
          status: { phase: 'Succeeded' },
        },
        { actor: ALICE },
      );
    };
    const runWorkspace = async (
      name: string,
      policyName: string,
      trustTier = 'untrusted',
    ) => {
      await provision(name, {
        policy: policyName,
        trustTier,
        ownership: { kind: 'dispatch-run', ref: name },
      });
      await finishedRun(name, `${name}-run`);
    };
    return { store, clock, pass, get, policy, provision, runWorkspace };
  }

  it("archives a run's workspace when its runs finished, per cleanup.afterRun: archive", async () => {
    const { pass, get, policy, runWorkspace } = await setUp();
    await policy('archiver', { cleanup: { afterRun: 'archive' } });
    await runWorkspace('w1', 'archiver');
    expect((await get('w1')).status.activeRuns).toEqual(['w1-run']);

    expect(await pass()).toMatchObject({ archived: 1 });
    const { status } = await get('w1');
    expect(status.activeRuns).toBeUndefined();
    expect(status.runs).toEqual(['w1-run']);
    expect(status).toMatchObject({
      state: 'archived',
      lastAction: {
        action: 'archive',
        actor: INVENTORY_ACTOR,
        result: 'succeeded',
      },
    });
    expect(fs.existsSync(path.join(sandbox.root, 'acme', 'w1'))).toBe(true);
  });

  it('cleans up a clean run workspace per cleanup.afterRun: cleanup, never a dirty one', async () => {
    const { pass, get, policy, runWorkspace } = await setUp();
    await policy('cleaner', { cleanup: { afterRun: 'cleanup' } });
    await runWorkspace('clean', 'cleaner');
    await runWorkspace('dirty', 'cleaner');
    fs.writeFileSync(
      path.join(sandbox.root, 'acme', 'dirty', 'notes.txt'),
      'unreviewed work\n',
    );

    expect(await pass()).toMatchObject({ cleanedUp: 1, refused: 1 });
    expect(fs.existsSync(path.join(sandbox.root, 'acme', 'clean'))).toBe(false);
    expect((await get('clean')).status).toMatchObject({
      state: 'archived',
      lastAction: { action: 'cleanup', result: 'succeeded' },
    });
    expect(
      fs.readFileSync(
        path.join(sandbox.root, 'acme', 'dirty', 'notes.txt'),
        'utf8',
      ),
    ).toBe('unreviewed work\n');
    const dirty = await get('dirty');
    expect(dirty.status).toMatchObject({
      state: 'idle',
      lastAction: {
        action: 'cleanup',
        actor: INVENTORY_ACTOR,
        result: 'failed',
        message: expect.stringContaining('1 uncommitted change(s)'),
      },
    });
    // Not retried round after round.
    expect(await pass()).toEqual({
      idled: 0,
      archived: 0,
      cleanedUp: 0,
      refused: 0,
    });
    expect((await get('dirty')).metadata.resourceVersion).toBe(
      dirty.metadata.resourceVersion,
    );
  });

  it('keeps a shared trusted workspace of a reuse policy idle for the next run', async () => {
    const { pass, get, policy, runWorkspace } = await setUp();
    await policy('warm', {
      provisioning: { mode: 'reuse', root: '.' },
      cleanup: { afterRun: 'cleanup' },
    });
    await runWorkspace('shared', 'warm', 'trusted');
    await runWorkspace('isolated', 'warm', 'untrusted');
    expect(await pass()).toMatchObject({ idled: 1, cleanedUp: 1 });
    expect((await get('shared')).status.state).toBe('idle');
    expect(fs.existsSync(path.join(sandbox.root, 'acme', 'shared'))).toBe(true);
    expect(fs.existsSync(path.join(sandbox.root, 'acme', 'isolated'))).toBe(
      false,
    );
  });

  it('archives workspaces idle past archiveIdleAfterHours and cleans up those archived past deleteArchivedAfterDays', async () => {
    const { store, clock, pass, get, policy, provision } = await setUp();
    await policy('default', {
      retention: { archiveIdleAfterHours: 2, deleteArchivedAfterDays: 1 },
    });
    for (const name of ['idle', 'pinned', 'in-session', 'dirty', 'own']) {
      await provision(name);
    }
    await provision('own-retention', {});
    const own = await get('own-retention');
    await store.update(
      {
        ...own,
        spec: { ...own.spec, retention: { archiveIdleAfterHours: 12 } },
      },
      { actor: ALICE },
    );
    const pinned = await get('pinned');
    await store.update(
      { ...pinned, spec: { ...pinned.spec, pinned: true } },
      { actor: ALICE },
    );
    await store.create(
      {
        apiVersion: 'agents.krate.dev/v1alpha1',
        kind: 'AgentSession',
        metadata: { namespace: 'acme', name: 'chat' },
        spec: { runtime: 'scripted' },
        status: { state: 'active', workspaceRef: 'in-session' },
      },
      { actor: ALICE },
    );
    fs.writeFileSync(path.join(sandbox.root, 'acme', 'dirty', 'wip.txt'), 'x');

    clock.offsetMs = HOUR;
    expect(await pass()).toMatchObject({ archived: 0 });
    clock.offsetMs = 3 * HOUR;
    expect(await pass()).toMatchObject({ archived: 3 });
    expect((await get('idle')).status.state).toBe('archived');
    expect((await get('dirty')).status.state).toBe('archived');
    expect((await get('own')).status.state).toBe('archived');
    expect((await get('own-retention')).status.state).toBe('active');
    expect((await get('pinned')).status.state).toBe('active');
    expect((await get('in-session')).status).toMatchObject({
      state: 'active',
      activeSessions: ['chat'],
    });

    // Archiving sets the activity time; a day later the archived worktrees go.
    clock.offsetMs = 3 * HOUR + 25 * HOUR;
    expect(await pass()).toMatchObject({ cleanedUp: 2, refused: 1 });
    expect(fs.existsSync(path.join(sandbox.root, 'acme', 'idle'))).toBe(false);
    expect(fs.existsSync(path.join(sandbox.root, 'acme', 'own'))).toBe(false);
    expect(
      fs.existsSync(path.join(sandbox.root, 'acme', 'dirty', 'wip.txt')),
    ).toBe(true);
    expect((await get('dirty')).status.lastAction).toMatchObject({
      action: 'cleanup',
      result: 'failed',
    });
    expect(await get('idle')).toBeDefined();
  });
});
