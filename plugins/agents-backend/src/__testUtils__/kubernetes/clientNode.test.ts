import {
  ApiextensionsV1Api,
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  KubernetesObject,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  Watch,
} from '@kubernetes/client-node';
import { until } from '../until';
import { KubernetesDouble, startKubernetesDouble } from './index';
import { WIDGET_CRD, WIDGETS } from './widgetCrd';

type Widget = KubernetesObject & {
  spec: Record<string, unknown>;
  status?: Record<string, unknown>;
};

function statusOf(error: unknown) {
  const body = (error as ApiException<string>).body;
  return JSON.parse(typeof body === 'string' ? body : JSON.stringify(body));
}

describe('Kubernetes API server double with client-node', () => {
  let double: KubernetesDouble;
  let objects: CustomObjectsApi;

  beforeEach(async () => {
    double = await startKubernetesDouble({ bookmarkIntervalMs: 100 });
    objects = double.kubeConfig().makeApiClient(CustomObjectsApi);
    // The typed ApiextensionsV1Api would drop the wire names (`x-kubernetes-…`, `default`, `enum`).
    await objects.createClusterCustomObject({
      group: 'apiextensions.k8s.io',
      version: 'v1',
      plural: 'customresourcedefinitions',
      body: WIDGET_CRD,
    });
  });

  afterEach(async () => {
    await double.stop();
  });

  const create = (
    name: string,
    spec: Record<string, unknown>,
    namespace = 'default',
  ) =>
    objects.createNamespacedCustomObject({
      ...WIDGETS,
      namespace,
      body: {
        apiVersion: 'test.krate.dev/v1',
        kind: 'Widget',
        metadata: { name },
        spec,
      },
    }) as Promise<Widget>;

  it('serves a registered CRD at once, with defaults, pruning and preserved unknown fields', async () => {
    const crd = await double
      .kubeConfig()
      .makeApiClient(ApiextensionsV1Api)
      .readCustomResourceDefinition({ name: 'widgets.test.krate.dev' });
    expect(
      crd.status?.conditions?.find(c => c.type === 'Established')?.status,
    ).toBe('True');

    const created = await create('one', {
      runtime: 'scripted',
      unknown: 'dropped',
      extra: { kept: { deep: 1 } },
    });
    expect(created.metadata).toMatchObject({
      name: 'one',
      namespace: 'default',
      generation: 1,
    });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(created.metadata?.resourceVersion)).toBeGreaterThan(0);
    expect(created.spec).toEqual({
      runtime: 'scripted',
      size: 1,
      extra: { kept: { deep: 1 } },
    });

    const read = (await objects.getNamespacedCustomObject({
      ...WIDGETS,
      namespace: 'default',
      name: 'one',
    })) as Widget;
    expect(read).toEqual(created);
  });

  it('lists with label selectors and pages with limit and continue', async () => {
    for (const name of ['a', 'b', 'c']) {
      await objects.createNamespacedCustomObject({
        ...WIDGETS,
        namespace: 'default',
        body: {
          apiVersion: 'test.krate.dev/v1',
          kind: 'Widget',
          metadata: { name, labels: { tier: name === 'b' ? 'gold' : 'plain' } },
          spec: { runtime: 'codex' },
        },
      });
    }
    const gold = await objects.listNamespacedCustomObject({
      ...WIDGETS,
      namespace: 'default',
      labelSelector: 'tier in (gold)',
    });
    expect(gold.items.map((w: Widget) => w.metadata?.name)).toEqual(['b']);
    const notGold = await objects.listClusterCustomObject({
      ...WIDGETS,
      labelSelector: 'tier!=gold',
    });
    expect(notGold.items.map((w: Widget) => w.metadata?.name)).toEqual([
      'a',
      'c',
    ]);
    const byName = await objects.listClusterCustomObject({
      ...WIDGETS,
      fieldSelector: 'metadata.name=c',
    });
    expect(byName.items.map((w: Widget) => w.metadata?.name)).toEqual(['c']);

    const first = await objects.listNamespacedCustomObject({
      ...WIDGETS,
      namespace: 'default',
      limit: 2,
    });
    expect(first.items.map((w: Widget) => w.metadata?.name)).toEqual([
      'a',
      'b',
    ]);
    expect(first.metadata.continue).toBeTruthy();
    const second = await objects.listNamespacedCustomObject({
      ...WIDGETS,
      namespace: 'default',
      limit: 2,
      _continue: first.metadata.continue,
    });
    expect(second.items.map((w: Widget) => w.metadata?.name)).toEqual(['c']);
    expect(second.metadata.continue).toBeUndefined();
  });

  it('patches and replaces, answering 409 to a stale resourceVersion and to a second create', async () => {
    const created = await create('one', { runtime: 'scripted' });
    const merged = (await objects.patchNamespacedCustomObject(
      {
        ...WIDGETS,
        namespace: 'default',
        name: 'one',
        body: { spec: { size: 3 } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    )) as Widget;
    expect(merged.spec).toEqual({ runtime: 'scripted', size: 3 });
    expect(merged.metadata?.generation).toBe(2);

    const jsonPatched = (await objects.patchNamespacedCustomObject(
      {
        ...WIDGETS,
        namespace: 'default',
        name: 'one',
        body: [{ op: 'replace', path: '/spec/runtime', value: 'codex' }],
      },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    )) as Widget;
    expect(jsonPatched.spec.runtime).toBe('codex');

    const replaced = (await objects.replaceNamespacedCustomObject({
      ...WIDGETS,
      namespace: 'default',
      name: 'one',
      body: { ...jsonPatched, spec: { runtime: 'scripted', size: 5 } },
    })) as Widget;
    expect(replaced.spec).toEqual({ runtime: 'scripted', size: 5 });
    expect(Number(replaced.metadata?.resourceVersion)).toBeGreaterThan(
      Number(jsonPatched.metadata?.resourceVersion),
    );

    const stale = objects.replaceNamespacedCustomObject({
      ...WIDGETS,
      namespace: 'default',
      name: 'one',
      body: { ...created, spec: { runtime: 'codex' } },
    });
    await expect(stale).rejects.toMatchObject({ code: 409 });
    expect(statusOf(await stale.catch(e => e))).toMatchObject({
      kind: 'Status',
      reason: 'Conflict',
      code: 409,
    });

    const again = create('one', { runtime: 'codex' });
    await expect(again).rejects.toMatchObject({ code: 409 });
    expect(statusOf(await again.catch(e => e))).toMatchObject({
      reason: 'AlreadyExists',
      details: { name: 'one', group: 'test.krate.dev', kind: 'widgets' },
    });
  });

  it('changes status only through the status subresource, without bumping generation', async () => {
    await create('one', { runtime: 'scripted' });
    const ignored = (await objects.patchNamespacedCustomObject(
      {
        ...WIDGETS,
        namespace: 'default',
        name: 'one',
        body: { status: { conditions: [{ type: 'Ready', status: 'True' }] } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    )) as Widget;
    expect(ignored.status).toBeUndefined();

    const withStatus = (await objects.patchNamespacedCustomObjectStatus(
      {
        ...WIDGETS,
        namespace: 'default',
        name: 'one',
        body: {
          spec: { size: 9 },
          status: { conditions: [{ type: 'Ready', status: 'True' }] },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    )) as Widget;
    expect(withStatus.status).toEqual({
      conditions: [{ type: 'Ready', status: 'True' }],
    });
    expect(withStatus.spec.size).toBe(1);
    expect(withStatus.metadata?.generation).toBe(1);

    const replacedStatus = (await objects.replaceNamespacedCustomObjectStatus({
      ...WIDGETS,
      namespace: 'default',
      name: 'one',
      body: { ...withStatus, status: { conditions: [] } },
    })) as Widget;
    expect(replacedStatus.status).toEqual({ conditions: [] });
  });

  it('stores nothing and emits no event for dryRun=All', async () => {
    await create('kept', { runtime: 'scripted' });
    const before = (
      await objects.listNamespacedCustomObject({
        ...WIDGETS,
        namespace: 'default',
      })
    ).metadata.resourceVersion;
    const dry = (await objects.createNamespacedCustomObject({
      ...WIDGETS,
      namespace: 'default',
      dryRun: 'All',
      body: {
        apiVersion: 'test.krate.dev/v1',
        kind: 'Widget',
        metadata: { name: 'dry' },
        spec: { runtime: 'codex' },
      },
    })) as Widget;
    expect(dry.spec.size).toBe(1);
    await objects.patchNamespacedCustomObject(
      {
        ...WIDGETS,
        namespace: 'default',
        name: 'kept',
        dryRun: 'All',
        body: { spec: { size: 4 } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await objects.deleteNamespacedCustomObject({
      ...WIDGETS,
      namespace: 'default',
      name: 'kept',
      dryRun: 'All',
    });
    const invalidDry = objects.createNamespacedCustomObject({
      ...WIDGETS,
      namespace: 'default',
      dryRun: 'All',
      body: {
        apiVersion: 'test.krate.dev/v1',
        kind: 'Widget',
        metadata: { name: 'bad' },
        spec: {},
      },
    });
    await expect(invalidDry).rejects.toMatchObject({ code: 422 });

    const after = await objects.listNamespacedCustomObject({
      ...WIDGETS,
      namespace: 'default',
    });
    expect(after.metadata.resourceVersion).toBe(before);
    expect(
      after.items.map((w: Widget) => [w.metadata?.name, w.spec.size]),
    ).toEqual([['kept', 1]]);
    expect(
      double.requests.filter(r => r.query.includes('dryRun=All')),
    ).toHaveLength(4);
  });

  it('answers 422 Invalid with a cause per failed field', async () => {
    const invalid = create('bad', {
      runtime: 'python',
      size: 11,
      name: 'TooLongName',
    });
    await expect(invalid).rejects.toMatchObject({ code: 422 });
    const status = statusOf(await invalid.catch(e => e));
    expect(status).toMatchObject({
      reason: 'Invalid',
      code: 422,
      details: { name: 'bad', kind: 'Widget', group: 'test.krate.dev' },
    });
    expect(
      status.details.causes.map((c: { field: string }) => c.field).sort(),
    ).toEqual(['spec.name', 'spec.name', 'spec.runtime', 'spec.size']);
    expect(status.details.causes).toContainEqual({
      reason: 'FieldValueNotSupported',
      field: 'spec.runtime',
      message:
        'Unsupported value: "python": supported values: "scripted", "codex"',
    });

    const missing = create('missing', {});
    expect(statusOf(await missing.catch(e => e)).message).toBe(
      'Widget.test.krate.dev "missing" is invalid: spec.runtime: Required value',
    );
    const badName = create('Bad_Name', { runtime: 'codex' });
    expect(statusOf(await badName.catch(e => e)).details.causes[0].field).toBe(
      'metadata.name',
    );
    const noNamespace = create('x', { runtime: 'codex' }, 'nowhere');
    expect(statusOf(await noNamespace.catch(e => e))).toMatchObject({
      code: 404,
      message: 'namespaces "nowhere" not found',
    });
  });

  it('feeds an informer ADDED, MODIFIED and DELETED, and a relist after compaction and dropped watches', async () => {
    await create('early', { runtime: 'scripted' });
    const path = '/apis/test.krate.dev/v1/widgets';
    const informer = makeInformer<Widget>(
      double.kubeConfig(),
      path,
      () => objects.listClusterCustomObject({ ...WIDGETS }) as any,
    );
    const seen: string[] = [];
    informer.on('add', w => seen.push(`add ${w.metadata?.name}`));
    informer.on('update', w =>
      seen.push(`update ${w.metadata?.name} ${w.spec.size}`),
    );
    informer.on('delete', w => seen.push(`delete ${w.metadata?.name}`));
    await informer.start();
    try {
      await until(
        async () => seen,
        s => s.includes('add early'),
      );
      await create('late', { runtime: 'codex' });
      await objects.patchNamespacedCustomObject(
        {
          ...WIDGETS,
          namespace: 'default',
          name: 'late',
          body: { spec: { size: 2 } },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      await objects.deleteNamespacedCustomObject({
        ...WIDGETS,
        namespace: 'default',
        name: 'early',
      });
      await until(
        async () => seen,
        s => s.includes('delete early'),
      );
      expect(seen).toEqual([
        'add early',
        'add late',
        'update late 2',
        'delete early',
      ]);

      const listsBefore = double.requests.filter(
        r => r.path === path && !r.query.includes('watch'),
      ).length;
      double.compact();
      double.dropWatches();
      await create('after', { runtime: 'codex' });
      await until(
        async () =>
          informer
            .list()
            .map(w => w.metadata?.name)
            .sort(),
        names => names.join() === 'after,late',
      );
      const listsAfter = double.requests.filter(
        r => r.path === path && !r.query.includes('watch'),
      ).length;
      expect(listsAfter).toBeGreaterThan(listsBefore);
    } finally {
      await informer.stop();
    }
  });

  it('sends 410 Expired on a watch from a compacted resourceVersion, and bookmarks when asked', async () => {
    const created = await create('one', { runtime: 'scripted' });
    double.compact();
    const events: { type: string; object: any }[] = [];
    const watch = new Watch(double.kubeConfig());
    let ended = false;
    await watch.watch(
      '/apis/test.krate.dev/v1/widgets',
      { resourceVersion: created.metadata?.resourceVersion },
      (type, object) => events.push({ type, object }),
      () => {
        ended = true;
      },
    );
    await until(
      async () => ended,
      e => e,
    );
    expect(events).toEqual([
      {
        type: 'ERROR',
        object: expect.objectContaining({
          kind: 'Status',
          code: 410,
          reason: 'Expired',
        }),
      },
    ]);

    const bookmarks: any[] = [];
    const controller = await watch.watch(
      '/apis/test.krate.dev/v1/namespaces/default/widgets',
      { allowWatchBookmarks: true, resourceVersion: '0' },
      (type, object) => {
        if (type === 'BOOKMARK') bookmarks.push(object);
      },
      () => undefined,
    );
    try {
      await until(
        async () => bookmarks.length,
        n => n >= 2,
      );
      expect(bookmarks[0]).toEqual({
        kind: 'Widget',
        apiVersion: 'test.krate.dev/v1',
        metadata: { resourceVersion: expect.stringMatching(/^\d+$/) },
      });
    } finally {
      controller.abort();
    }
  });

  it('serves cluster-scoped custom objects and filters watches by selectors', async () => {
    const clusterCrd = JSON.parse(
      JSON.stringify(WIDGET_CRD)
        .replace(/widget/g, 'gadget')
        .replace(/Widget/g, 'Gadget'),
    );
    clusterCrd.spec.scope = 'Cluster';
    clusterCrd.spec.names.shortNames = ['gd'];
    await objects.createClusterCustomObject({
      group: 'apiextensions.k8s.io',
      version: 'v1',
      plural: 'customresourcedefinitions',
      body: clusterCrd,
    });
    const gadgets = {
      group: 'test.krate.dev',
      version: 'v1',
      plural: 'gadgets',
    };

    const events: string[] = [];
    const controller = await new Watch(double.kubeConfig()).watch(
      '/apis/test.krate.dev/v1/gadgets',
      { labelSelector: 'color=blue' },
      (type, object: Widget) => events.push(`${type} ${object.metadata?.name}`),
      () => undefined,
    );
    try {
      const body = (name: string, color: string) => ({
        apiVersion: 'test.krate.dev/v1',
        kind: 'Gadget',
        metadata: { name, labels: { color } },
        spec: { runtime: 'codex' },
      });
      const created = (await objects.createClusterCustomObject({
        ...gadgets,
        body: body('g1', 'red'),
      })) as Widget;
      expect(created.metadata?.namespace).toBeUndefined();
      await objects.createClusterCustomObject({
        ...gadgets,
        body: body('g2', 'blue'),
      });
      await objects.patchClusterCustomObject(
        {
          ...gadgets,
          name: 'g1',
          body: { metadata: { labels: { color: 'blue' } } },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      await objects.patchClusterCustomObject(
        {
          ...gadgets,
          name: 'g2',
          body: { metadata: { labels: { color: 'green' } } },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      await until(
        async () => events,
        e => e.length >= 3,
      );
      expect(events).toEqual(['ADDED g2', 'ADDED g1', 'DELETED g2']);
      const listed = await objects.listClusterCustomObject({ ...gadgets });
      expect(listed.items.map((g: Widget) => g.metadata?.name)).toEqual([
        'g1',
        'g2',
      ]);
    } finally {
      controller.abort();
    }
  });

  it('answers 401 without a token, 503 while unavailable, and serves core kinds', async () => {
    const core = double.kubeConfig().makeApiClient(CoreV1Api);
    await core.createNamespacedSecret({
      namespace: 'default',
      body: { metadata: { name: 's' }, stringData: { token: 'abc' } },
    });
    const secret = await core.readNamespacedSecret({
      namespace: 'default',
      name: 's',
    });
    expect(secret.data).toEqual({
      token: Buffer.from('abc').toString('base64'),
    });
    expect(
      (
        await core.readNamespacedServiceAccount({
          namespace: 'default',
          name: 'default',
        })
      ).metadata?.name,
    ).toBe('default');

    const anonymous = await fetch(`${double.url}/api/v1/namespaces`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({
      kind: 'Status',
      reason: 'Unauthorized',
      code: 401,
    });

    double.setUnavailable(true);
    await expect(core.listNamespace()).rejects.toMatchObject({ code: 503 });
    double.setUnavailable(false);
    expect(
      (await core.listNamespace()).items.map(n => n.metadata?.name),
    ).toContain('default');
  });
});
