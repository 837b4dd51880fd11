import { mockServices } from '@backstage/backend-test-utils';
import { CuttingProxy } from '../../__testUtils__/kubernetes/CuttingProxy';
import { until } from '../../__testUtils__/until';
import { ResourceExpiredError } from '../../resources/ResourceStore';
import { KubernetesNamespaces } from '../KubernetesNamespaces';
import {
  ALICE,
  CLUSTER_NAMESPACE,
  GROUP,
  kubernetesStoreKit,
  manifest,
  ORG,
  stack,
} from './__testUtils__/kubernetesStoreTestKit';
import { KubernetesResourceStore } from './KubernetesResourceStore';

jest.setTimeout(60_000);

const kit = kubernetesStoreKit();
afterEach(() => kit.cleanUp());

const names = (result: { items: { metadata: { name: string } }[] }) =>
  result.items.map(item => item.metadata.name);

describe('KubernetesResourceStore', () => {
  it('follows kubectl apply, re-apply and delete in its list and change feed', async () => {
    const { store, apply, kubectl } = await kit.setUp();
    const start = await store.currentResourceVersion('AgentStack');

    await apply(manifest('reviewer', { runtime: 'scripted', model: 'm1' }));
    const listed = await until(
      () => store.list('AgentStack', { limit: 10 }),
      result => result.items.length === 1,
    );
    expect(listed.items[0].metadata).toMatchObject({
      name: 'reviewer',
      namespace: ORG,
      uid: expect.any(String),
      generation: 1,
      resourceVersion: expect.stringMatching(/^\d+$/),
      creationTimestamp: expect.any(String),
    });
    expect(listed.items[0].metadata).not.toHaveProperty('managedFields');
    expect(Object.keys(listed.items[0].metadata.annotations!)).toEqual([
      'kubectl.kubernetes.io/last-applied-configuration',
    ]);

    await apply(manifest('reviewer', { runtime: 'scripted', model: 'm2' }));
    await until(
      () => store.get('AgentStack', ORG, 'reviewer'),
      object => object?.spec.model === 'm2',
    );
    await kubectl('delete', 'agentstack', 'reviewer', '-n', CLUSTER_NAMESPACE);
    await until(
      () => store.list('AgentStack', { limit: 10 }),
      result => result.items.length === 0,
    );

    const changes = await store.changesSince('AgentStack', {
      resourceVersion: start,
      limit: 10,
    });
    expect(
      changes.events.map(e => [
        e.type,
        e.object.metadata.namespace,
        e.object.spec.model,
      ]),
    ).toEqual([
      ['ADDED', ORG, 'm1'],
      ['MODIFIED', ORG, 'm2'],
      ['DELETED', ORG, 'm2'],
    ]);
    expect(changes.resourceVersion).toBe(
      await store.currentResourceVersion('AgentStack'),
    );
    const resumed = await store.changesSince('AgentStack', {
      resourceVersion: changes.events[0].resourceVersion!,
      limit: 10,
    });
    expect(resumed.events.map(e => e.type)).toEqual(['MODIFIED', 'DELETED']);
  });

  it('writes with optimistic concurrency, shows its writes at once and audits them', async () => {
    const { store, database } = await kit.setUp();

    const created = await store.create(stack('reviewer'), ALICE);
    expect(created.metadata.namespace).toBe(ORG);
    expect(await store.get('AgentStack', ORG, 'reviewer')).toEqual(created);
    await expect(store.create(stack('reviewer'), ALICE)).rejects.toMatchObject({
      name: 'ConflictError',
      message: 'AgentStack acme/reviewer already exists',
    });

    const updated = await store.update(
      { ...created, spec: { runtime: 'scripted', model: 'm2' } },
      ALICE,
    );
    expect(updated.metadata.generation).toBe(2);
    expect((await store.get('AgentStack', ORG, 'reviewer'))!.spec.model).toBe(
      'm2',
    );
    await expect(
      store.update({ ...created, spec: { runtime: 'codex' } }, ALICE),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('AgentStack acme/reviewer was modified'),
    });

    const { resourceVersion: _stale, ...metadata } = created.metadata;
    const lastWriterWins = await store.update(
      { ...created, metadata, spec: { runtime: 'codex' } },
      ALICE,
    );
    expect(lastWriterWins.spec.runtime).toBe('codex');
    expect(lastWriterWins.spec).not.toHaveProperty('model');

    await expect(
      store.delete('AgentStack', ORG, 'reviewer', ALICE, {
        resourceVersion: updated.metadata.resourceVersion,
      }),
    ).rejects.toMatchObject({ name: 'ConflictError' });
    await store.delete('AgentStack', ORG, 'reviewer', ALICE, {
      resourceVersion: lastWriterWins.metadata.resourceVersion,
    });
    expect(await store.get('AgentStack', ORG, 'reviewer')).toBeUndefined();
    await expect(store.update(stack('reviewer'), ALICE)).rejects.toMatchObject({
      name: 'NotFoundError',
      message: 'AgentStack acme/reviewer not found',
    });

    const trail = await database.audit.listForTarget({
      target: { kind: 'AgentStack', namespace: ORG, name: 'reviewer' },
      limit: 10,
    });
    expect(trail.map(r => [r.action, r.actor])).toEqual([
      ['delete', ALICE.actor],
      ['update', ALICE.actor],
      ['update', ALICE.actor],
      ['create', ALICE.actor],
    ]);
    expect(trail[3].afterDigest).toBe(trail[2].beforeDigest);
  });

  it('keeps the last-applied annotation kubectl wrote when the portal updates', async () => {
    const { store, apply, kubectl } = await kit.setUp();
    await apply(manifest('reviewer', { runtime: 'scripted' }));
    const applied = await until(
      () => store.get('AgentStack', ORG, 'reviewer'),
      object => object !== undefined,
    );

    await store.update(
      {
        ...applied!,
        metadata: { ...applied!.metadata, annotations: { team: 'payments' } },
      },
      ALICE,
    );
    const annotations = JSON.parse(
      await kubectl(
        'get',
        'agentstack',
        'reviewer',
        '-n',
        CLUSTER_NAMESPACE,
        '-o',
        'jsonpath={.metadata.annotations}',
      ),
    );
    expect(Object.keys(annotations).sort()).toEqual([
      'kubectl.kubernetes.io/last-applied-configuration',
      'team',
    ]);
  });

  it('dry-runs through the API server, storing nothing, and reports schema errors by field', async () => {
    const { store, double, database } = await kit.setUp();
    const existing = await store.create(stack('existing'), ALICE);
    const version = await store.currentResourceVersion('AgentStack');
    const served = double.requests.length;

    const wouldCreate = await store.create(stack('new'), ALICE, {
      dryRun: true,
    });
    expect(wouldCreate.metadata.name).toBe('new');
    const wouldUpdate = await store.update(
      { ...existing, spec: { runtime: 'codex' } },
      ALICE,
      { dryRun: true },
    );
    expect(wouldUpdate.spec.runtime).toBe('codex');
    await store.delete('AgentStack', ORG, 'existing', ALICE, { dryRun: true });

    const writes = double.requests
      .slice(served)
      .filter(r => ['POST', 'PUT', 'DELETE'].includes(r.method));
    expect(writes.map(r => r.method)).toEqual(['POST', 'PUT', 'DELETE']);
    writes.forEach(r => expect(r.query).toContain('dryRun=All'));
    expect(names(await store.list('AgentStack', { limit: 10 }))).toEqual([
      'existing',
    ]);
    expect((await store.get('AgentStack', ORG, 'existing'))!.spec).toEqual(
      existing.spec,
    );
    expect(await store.currentResourceVersion('AgentStack')).toBe(version);
    const trail = await database.audit.listForTarget({
      target: { kind: 'AgentStack', namespace: ORG, name: 'existing' },
      limit: 10,
    });
    expect(trail.map(r => r.action)).toEqual(['create']);

    await expect(
      store.create(stack('broken', { approvalMode: 'sometimes' }), ALICE, {
        dryRun: true,
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/spec\.runtime: .*[Rr]equired/),
    });
    await expect(
      store.update(
        { ...existing, spec: { runtime: 'codex', approvalMode: 'sometimes' } },
        ALICE,
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('spec.approvalMode'),
    });
  });

  it('loses no change across a compaction and dropped watches', async () => {
    const { store, double, other } = await kit.setUp({
      // Slow reconnects, so the changes below land while the informers are away.
      backoff: { initialMs: 1_000, maxMs: 1_000 },
    });
    await store.create(stack('kept'), ALICE);
    await store.create(stack('doomed'), ALICE);
    const start = await store.currentResourceVersion('AgentStack');
    const at = {
      ...GROUP,
      namespace: CLUSTER_NAMESPACE,
      plural: 'agentstacks',
    };

    double.compact();
    double.setUnavailable(true);
    double.dropWatches();
    await until(
      async () => store.state(),
      state => state.every(kind => kind.lastError !== undefined),
    );
    const outage = double.requests.length;
    double.setUnavailable(false);
    const kept = await other.getNamespacedCustomObject({ ...at, name: 'kept' });
    await other.replaceNamespacedCustomObject({
      ...at,
      name: 'kept',
      body: { ...kept, spec: { runtime: 'codex' } },
    });
    await other.deleteNamespacedCustomObject({ ...at, name: 'doomed' });

    await until(
      () => store.list('AgentStack', { limit: 10 }),
      result =>
        result.items.length === 1 && result.items[0].spec.runtime === 'codex',
    );
    const changes = await store.changesSince('AgentStack', {
      resourceVersion: start,
      limit: 10,
    });
    expect(
      changes.events.map(e => [e.type, e.object.metadata.name]).sort(),
    ).toEqual([
      ['DELETED', 'doomed'],
      ['MODIFIED', 'kept'],
    ]);
    const relists = double.requests
      .slice(outage)
      .filter(
        r =>
          r.method === 'GET' &&
          r.path.endsWith('/agentstacks') &&
          !r.query.includes('watch=true'),
      );
    expect(relists.length).toBeGreaterThan(0);
    await until(
      async () => store.state(),
      state => state.every(kind => kind.lastError === undefined),
    );
  });

  it('starts without the cluster, answers 503 with the reason, and syncs once it is back', async () => {
    const { store, double, logger } = await kit.setUp({
      unavailableAtStart: true,
      startTimeoutMs: 300,
    });

    const failure = store.list('AgentStack', { limit: 10 });
    await expect(failure).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringContaining(double.url),
    });
    const [stacks] = store.state();
    expect(stacks).toMatchObject({ kind: 'AgentStack', synced: false });
    expect(stacks.lastError).toMatch(/answered 503/);

    double.setUnavailable(false);
    await until(
      async () => store.state(),
      state => state.every(kind => kind.synced && !kind.lastError),
    );
    expect(names(await store.list('AgentStack', { limit: 10 }))).toEqual([]);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining('reachable again'),
    );
  });

  it('writes status through its subresource: kubectl shows it, spec updates keep it', async () => {
    const { store, kubectl } = await kit.setUp();
    const created = await store.create(stack('reviewer'), ALICE);

    const condition = {
      type: 'Ready',
      status: 'True',
      reason: 'Resolved',
      message: 'ready',
      lastTransitionTime: '2025-01-01T00:00:00Z',
    };
    const patched = await store.patchStatus(
      { kind: 'AgentStack', namespace: ORG, name: 'reviewer' },
      status => ({ ...status, readiness: 'Ready', conditions: [condition] }),
      ALICE,
    );
    expect(patched.status).toEqual({
      readiness: 'Ready',
      conditions: [condition],
    });
    const table = await kubectl('get', 'agentstacks', '-n', CLUSTER_NAMESPACE);
    expect(table).toMatch(/NAME\s+RUNTIME\s+MODEL\s+READINESS\s+AGE/);
    expect(table).toMatch(/reviewer\s+scripted\s+m1\s+Ready\s/);
    expect(
      await kubectl(
        'get',
        'agentstack',
        'reviewer',
        '-n',
        CLUSTER_NAMESPACE,
        '-o',
        'jsonpath={.status.conditions[0].reason}',
      ),
    ).toBe('Resolved');

    const updated = await store.update(
      {
        ...created,
        metadata: { ...created.metadata, resourceVersion: undefined },
        spec: { runtime: 'codex' },
        status: {},
      },
      ALICE,
    );
    expect(updated.status).toEqual(patched.status);
    expect((await store.get('AgentStack', ORG, 'reviewer'))!.status).toEqual(
      patched.status,
    );
  });

  it('gives up on a watch whose connection went silent and watches again', async () => {
    const { double, other } = await kit.setUp();
    const proxy = await CuttingProxy.start(double.url);
    const store = new KubernetesResourceStore({
      kubeConfig: proxy.configFor(double.kubeConfig()),
      kinds: ['AgentStack'],
      namespaces: new KubernetesNamespaces({ [ORG]: CLUSTER_NAMESPACE }),
      audit: { append: jest.fn() } as any,
      logger: mockServices.logger.mock(),
      backoff: { initialMs: 50, maxMs: 200 },
      watchTiming: { minSeconds: 1, graceMs: 500 },
    });
    try {
      await store.start();
      const ourWatches = () =>
        double.requests.filter(
          r =>
            r.query.includes('watch=true') &&
            /timeoutSeconds=[12](&|$)/.test(r.query),
        ).length;
      await until(
        async () => ourWatches(),
        count => count === 1,
      );
      // Let the watch's response headers through before the connection goes silent.
      await new Promise(resolve => setTimeout(resolve, 300));
      // The server ends each watch within 2 s, but a frozen connection never says so.
      proxy.freezeAll();
      await other.createNamespacedCustomObject({
        ...GROUP,
        plural: 'agentstacks',
        namespace: CLUSTER_NAMESPACE,
        body: manifest('after-freeze', { runtime: 'scripted' }),
      });
      const seen = await until(
        () => store.get('AgentStack', ORG, 'after-freeze'),
        object => object !== undefined,
        15_000,
      );
      expect(seen?.spec).toMatchObject({ runtime: 'scripted' });
    } finally {
      await store.stop();
      await proxy.stop();
    }
  });

  it('refuses what RBAC denies with NotAllowedError', async () => {
    const { double } = await kit.setUp();
    const nobody = new KubernetesResourceStore({
      kubeConfig: double.kubeConfigFor('nobody').kubeConfig,
      kinds: ['AgentStack'],
      namespaces: new KubernetesNamespaces({ [ORG]: CLUSTER_NAMESPACE }),
      audit: { append: jest.fn() } as any,
      logger: mockServices.logger.mock(),
      startTimeoutMs: 100,
    });
    try {
      await expect(
        nobody.create(stack('reviewer'), ALICE),
      ).rejects.toMatchObject({ name: 'NotAllowedError' });
    } finally {
      await nobody.stop();
    }
  });

  it('expires versions older than its journal and newer than its sequence', async () => {
    const { store } = await kit.setUp({ journalLimit: 2 });
    const start = await store.currentResourceVersion('AgentStack');
    await store.create(stack('a'), ALICE);
    await store.create(stack('b'), ALICE);
    expect(
      (
        await store.changesSince('AgentStack', {
          resourceVersion: start,
          limit: 10,
        })
      ).events,
    ).toHaveLength(2);

    await store.create(stack('c'), ALICE);
    await expect(
      store.changesSince('AgentStack', { resourceVersion: start, limit: 10 }),
    ).rejects.toBeInstanceOf(ResourceExpiredError);
    const current = Number(await store.currentResourceVersion('AgentStack'));
    await expect(
      store.changesSince('AgentStack', {
        resourceVersion: String(current - 2),
        limit: 10,
      }),
    ).resolves.toMatchObject({ resourceVersion: String(current) });
    await expect(
      store.changesSince('AgentStack', {
        resourceVersion: String(current + 1),
        limit: 10,
      }),
    ).rejects.toBeInstanceOf(ResourceExpiredError);
    expect(current).toBeGreaterThan(Date.now() * 1000 - 60_000_000);
  });
});
