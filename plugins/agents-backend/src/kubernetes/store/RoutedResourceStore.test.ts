import { mockServices } from '@backstage/backend-test-utils';
import { until } from '../../__testUtils__/until';
import {
  ChangeFeedLoop,
  FeedReconciler,
} from '../../controllers/ChangeFeedLoop';
import { StoredResource, WatchEvent } from '../../resources/ResourceStore';
import {
  ALICE,
  CLUSTER_NAMESPACE,
  GROUP,
  kubernetesStoreKit,
  manifest,
  ORG,
  stack,
} from './__testUtils__/kubernetesStoreTestKit';
import { RoutedResourceStore } from './RoutedResourceStore';

jest.setTimeout(60_000);

const kit = kubernetesStoreKit();
afterEach(() => kit.cleanUp());

const run = (name: string): StoredResource => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'AgentDispatchRun',
  metadata: { name, namespace: ORG },
  spec: { stack: 'reviewer', prompt: 'fix it' },
  status: { phase: 'Queued' },
});

async function setUp() {
  const parts = await kit.setUp();
  const routed = new RoutedResourceStore({
    database: parts.database.store,
    cluster: parts.store,
    clusterKinds: ['AgentStack', 'AgentTriggerRule'],
  });
  return { ...parts, routed };
}

describe('RoutedResourceStore', () => {
  it('keeps configuration kinds in the cluster and execution records in the database', async () => {
    const { routed, store, database, other } = await setUp();

    await routed.create(stack('reviewer'), ALICE);
    await routed.create(run('run-1'), ALICE);

    expect(
      await other.getNamespacedCustomObject({
        ...GROUP,
        namespace: CLUSTER_NAMESPACE,
        plural: 'agentstacks',
        name: 'reviewer',
      }),
    ).toMatchObject({ spec: { runtime: 'scripted' } });
    expect(
      await database.store.get('AgentStack', ORG, 'reviewer'),
    ).toBeUndefined();
    await expect(
      store.get('AgentDispatchRun', ORG, 'run-1'),
    ).rejects.toMatchObject({ name: 'InputError' });
    expect(
      await database.store.get('AgentDispatchRun', ORG, 'run-1'),
    ).toMatchObject({ status: { phase: 'Queued' } });
    expect(
      (await routed.get('AgentStack', ORG, 'reviewer'))!.spec.runtime,
    ).toBe('scripted');

    expect(await routed.currentResourceVersion('AgentStack')).toBe(
      await store.currentResourceVersion('AgentStack'),
    );
    expect(await routed.currentResourceVersion('AgentDispatchRun')).toBe(
      await database.store.currentResourceVersion('AgentDispatchRun'),
    );
  });

  it('wakes waiters on a change of either store', async () => {
    const { routed, apply } = await setUp();
    const started = Date.now();
    const waiting = routed.waitForChange(30_000);
    await apply(manifest('reviewer', { runtime: 'scripted' }));
    await waiting;
    expect(Date.now() - started).toBeLessThan(20_000);

    const again = Date.now();
    const waitingAgain = routed.waitForChange(30_000);
    await routed.create(run('run-1'), ALICE);
    await waitingAgain;
    expect(Date.now() - again).toBeLessThan(20_000);
  });

  it("drives a ChangeFeedLoop with kubectl's changes and the database's", async () => {
    const { routed, apply } = await setUp();
    const noted: WatchEvent[] = [];
    const reconciler: FeedReconciler = {
      note: event => noted.push(event),
      reconcileAll: async () => {},
      reconcileQueued: async () => {},
      hasQueued: () => false,
    };
    const loop = new ChangeFeedLoop({
      name: 'Test controller',
      store: routed,
      logger: mockServices.logger.mock(),
      kinds: ['AgentStack', 'AgentDispatchRun'],
      reconciler,
      resyncMs: 600_000,
      pollMs: 100,
      settleMs: 10,
    });
    await loop.start();
    try {
      await apply(manifest('reviewer', { runtime: 'scripted' }));
      await routed.create(run('run-1'), ALICE);
      await until(
        async () =>
          noted.map(e => [e.type, e.object.kind, e.object.metadata.name]),
        events => events.length === 2,
      );
      expect(
        noted.map(e => [e.type, e.object.kind, e.object.metadata.name]).sort(),
      ).toEqual([
        ['ADDED', 'AgentDispatchRun', 'run-1'],
        ['ADDED', 'AgentStack', 'reviewer'],
      ]);
      await loop.whenSynced();
    } finally {
      await loop.stop();
    }
  });
});
