import { mockServices } from '@backstage/backend-test-utils';
import { AgentRuntimeAvailability } from '@krate/plugin-agents-node';
import { createTestStore } from '../../__testUtils__/createTestStore';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { DatabaseResourceStore } from '../../database/DatabaseResourceStore';
import { digestOf } from '../../resources/digest';
import { ResourceStore } from '../../resources/ResourceStore';
import { RuntimeRegistry } from '../../runtimes/RuntimeRegistry';
import { StackController } from './StackController';
import { ALICE, object, registryOf, seed, testRuntime } from './testObjects';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const stack = (spec: Record<string, unknown>, name = 'reviewer') =>
  object('AgentStack', name, { runtime: 'mux', ...spec });

async function eventually<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`condition not met; last value ${JSON.stringify(value)}`);
    }
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

/** The real store with some methods replaced, to count calls or inject a failure. */
function delegate(
  real: ResourceStore,
  overrides: Partial<ResourceStore>,
): ResourceStore {
  const methods = Object.getOwnPropertyNames(
    DatabaseResourceStore.prototype,
  ).filter(m => m !== 'constructor');
  return {
    ...Object.fromEntries(methods.map(m => [m, (real as any)[m].bind(real)])),
    ...overrides,
  } as ResourceStore;
}

describe.each(databases.eachSupportedId())('StackController on %p', id => {
  let controller: StackController | undefined;
  afterEach(async () => {
    await controller?.stop();
    controller = undefined;
  });

  async function setUp(
    options: {
      runtimes?: RuntimeRegistry;
      availabilityRecheckMs?: number;
      pollMs?: number;
      retryMs?: number;
      wrap?: (store: ResourceStore) => ResourceStore;
    } = {},
  ) {
    const { store, audit, db } = await createTestStore(databases, id);
    const logger = mockServices.logger.mock();
    const make = () =>
      new StackController({
        store: options.wrap ? options.wrap(store) : store,
        runtimes: options.runtimes ?? registryOf(testRuntime('mux')),
        logger,
        availabilityRecheckMs: options.availabilityRecheckMs,
        pollMs: options.pollMs ?? 100,
        retryMs: options.retryMs,
      });
    const status = async (name = 'reviewer', namespace = 'acme') =>
      (await store.get('AgentStack', namespace, name))?.status as
        | Record<string, any>
        | undefined;
    const statusWrites = async (name = 'reviewer') =>
      (
        await audit.listForTarget({
          target: { kind: 'AgentStack', namespace: 'acme', name },
          limit: 100,
        })
      ).filter(record => record.action === 'update-status');
    const start = async () => {
      controller = make();
      await controller.start();
      return controller;
    };
    return { store, audit, db, logger, status, statusWrites, start };
  }

  it('reconciles every stack on start', async () => {
    const { store, status, statusWrites, start } = await setUp();
    await seed(
      store,
      object('AgentToolProfile', 'safe', { allowedTools: ['Read'] }),
      stack({ toolProfile: 'safe' }),
      stack({ runtime: 'codex' }, 'coder'),
      {
        ...stack({}, 'elsewhere'),
        metadata: { namespace: 'beta', name: 'elsewhere' },
      },
    );
    await start();

    const ready = await status();
    expect(ready).toMatchObject({
      observedGeneration: 1,
      readiness: 'Ready',
      conditions: [{ type: 'Ready', status: 'True', reason: 'Resolved' }],
      effectiveProfile: {
        stack: 'reviewer',
        toolProfile: { name: 'safe', spec: { allowedTools: ['Read'] } },
      },
    });
    expect(ready!.profileDigest).toBe(digestOf(ready!.effectiveProfile));
    expect(await status('coder')).toMatchObject({
      readiness: 'Invalid',
      conditions: [
        { type: 'Ready', status: 'False', reason: 'RuntimeNotRegistered' },
        { type: 'Invalid', reason: 'RuntimeNotRegistered' },
      ],
    });
    expect((await status('elsewhere', 'beta'))?.readiness).toBe('Ready');
    expect(await statusWrites()).toEqual([
      expect.objectContaining({ actor: 'agents:stack-controller' }),
    ]);
  });

  it('follows a referenced object as it is created, changed and deleted', async () => {
    const { store, status, start } = await setUp();
    await seed(store, stack({ toolProfile: 'safe' }));
    const running = await start();
    expect(await status()).toMatchObject({
      readiness: 'Invalid',
      conditions: [
        { reason: 'MissingReference' },
        { reason: 'MissingReference' },
      ],
    });

    const tools = await store.create(
      object('AgentToolProfile', 'safe', { allowedTools: ['Read'] }),
      ALICE,
    );
    await running.whenSynced();
    const created = await status();
    expect(created).toMatchObject({
      readiness: 'Ready',
      conditions: [{ type: 'Ready', status: 'True', reason: 'Resolved' }],
    });

    await store.update(
      { ...tools, spec: { allowedTools: ['Read', 'Edit'] } },
      ALICE,
    );
    await running.whenSynced();
    const changed = await status();
    expect(changed!.readiness).toBe('Ready');
    expect(changed!.effectiveProfile.toolProfile.spec.allowedTools).toEqual([
      'Read',
      'Edit',
    ]);
    expect(changed!.profileDigest).not.toBe(created!.profileDigest);
    expect(changed!.conditions).toEqual(created!.conditions);

    await store.delete('AgentToolProfile', 'acme', 'safe', ALICE);
    await running.whenSynced();
    expect(await status()).toMatchObject({
      readiness: 'Invalid',
      conditions: [
        { type: 'Ready', status: 'False', reason: 'MissingReference' },
        {},
      ],
    });
  });

  it('re-resolves a stack when its spec changes and when a referenced status changes', async () => {
    const { store, status, start } = await setUp();
    await seed(
      store,
      object(
        'AgentMcpServer',
        'github',
        { transport: 'stdio' },
        { health: 'Healthy' },
      ),
      stack({}),
    );
    const running = await start();
    expect(await status()).toMatchObject({
      observedGeneration: 1,
      readiness: 'Ready',
    });

    const current = (await store.get('AgentStack', 'acme', 'reviewer'))!;
    await store.update(
      { ...current, spec: { ...current.spec, mcpServers: ['github'] } },
      ALICE,
    );
    await running.whenSynced();
    expect(await status()).toMatchObject({
      observedGeneration: 2,
      readiness: 'Ready',
      effectiveProfile: { mcpServers: [{ name: 'github' }] },
    });

    const server = (await store.get('AgentMcpServer', 'acme', 'github'))!;
    await store.updateStatus(
      { ...server, status: { health: 'Unreachable' } },
      ALICE,
    );
    await running.whenSynced();
    expect(await status()).toMatchObject({
      readiness: 'Warning',
      conditions: [
        { type: 'Ready', status: 'True', reason: 'ResolvedWithWarnings' },
        { type: 'Warning', reason: 'McpServerUnhealthy' },
      ],
    });
  });

  it('writes nothing when a change leaves the status as it is', async () => {
    let statusUpdates = 0;
    const { store, status, statusWrites, start } = await setUp({
      pollMs: 50,
      wrap: real =>
        delegate(real, {
          updateStatus: (...args) => {
            statusUpdates++;
            return real.updateStatus(...args);
          },
        }),
    });
    await seed(
      store,
      object('AgentToolProfile', 'safe', {}),
      stack({ toolProfile: 'safe' }),
    );
    const running = await start();
    await running.whenSynced();
    const before = await status();
    const writes = (await statusWrites()).length;
    expect(writes).toBe(1);
    const version = Number(await store.currentResourceVersion('AgentStack'));
    const updates = statusUpdates;

    await store.create(
      object('AgentContextLabel', 'unused', { prompt: 'x' }),
      ALICE,
    );
    const current = (await store.get('AgentStack', 'acme', 'reviewer'))!;
    await store.update(
      { ...current, metadata: { ...current.metadata, labels: { a: 'b' } } },
      ALICE,
    );
    await running.whenSynced();
    // Several polls later the controller's own write has not echoed into another one.
    await new Promise(resolve => setTimeout(resolve, 300));
    await running.whenSynced();

    expect(Number(await store.currentResourceVersion('AgentStack'))).toBe(
      version + 2,
    );
    expect(await statusWrites()).toHaveLength(writes);
    expect(statusUpdates).toBe(updates);
    expect(await status()).toEqual(before);
  });

  it('asks runtimes for their availability again on every recheck', async () => {
    let availability: AgentRuntimeAvailability = { available: true };
    const checks = jest.fn(async () => availability);
    const { store, status, start } = await setUp({
      runtimes: registryOf(testRuntime('mux', {}, checks)),
      availabilityRecheckMs: 200,
    });
    await seed(store, stack({}));
    await start();
    expect((await status())!.readiness).toBe('Ready');

    availability = {
      available: false,
      reason: 'the gateway at http://mux:8080 does not answer',
      hint: 'Start the Agent Mux gateway.',
    };
    const invalid = await eventually(status, s => s?.readiness === 'Invalid');
    expect(invalid!.conditions[1]).toMatchObject({
      type: 'Invalid',
      reason: 'RuntimeUnavailable',
      message: expect.stringContaining(
        'the gateway at http://mux:8080 does not answer. Start the Agent Mux gateway.',
      ),
    });

    availability = { available: true };
    await eventually(status, s => s?.readiness === 'Ready');
    expect(checks.mock.calls.length).toBeGreaterThanOrEqual(3);
  });

  it('lists again and reconciles everything when the feed expired', async () => {
    const { store, db, audit, status, logger, start } = await setUp({
      pollMs: 60_000,
    });
    await seed(store, stack({ toolProfile: 'safe' }));
    const running = await start();
    expect((await status())!.readiness).toBe('Invalid');

    // Another instance writes (no in-process wake-up) and the feed is compacted past the cursor.
    const other = new DatabaseResourceStore({ knex: db.knex, audit });
    await other.create(object('AgentToolProfile', 'safe', {}), ALICE);
    await other.compactChanges(0);
    await running.whenSynced();

    expect((await status())!.readiness).toBe('Ready');
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining('fell behind the change feed'),
    );
  });

  it('logs a failed pass and retries it', async () => {
    let failures = 1;
    const { store, status, logger, start } = await setUp({
      retryMs: 50,
      wrap: real =>
        delegate(real, {
          list: async (kind, options) => {
            if (failures-- > 0) throw new Error('connection reset');
            return real.list(kind, options);
          },
        }),
    });
    await seed(store, stack({}));
    const running = await start();
    expect(logger.warn).toHaveBeenCalledWith(
      'Stack controller pass failed; retrying in 50 ms',
      expect.objectContaining({ message: 'connection reset' }),
    );
    await running.whenSynced();
    expect((await status())!.readiness).toBe('Ready');
  });

  it('stops promptly while it waits for changes', async () => {
    const { store, start } = await setUp({ pollMs: 60_000 });
    await seed(store, stack({}));
    const running = await start();
    await running.whenSynced();
    const begin = Date.now();
    await running.stop();
    expect(Date.now() - begin).toBeLessThan(1_000);
    await expect(running.whenSynced()).rejects.toThrow('not running');
  });
});
