import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { parseLabelSelector } from '../resources/labelSelector';
import {
  ResourceExpiredError,
  StoredResource,
} from '../resources/ResourceStore';
import { AgentsDatabase } from './AgentsDatabase';
import { DatabaseAuditStore } from './AuditStore';
import { DatabaseResourceStore } from './DatabaseResourceStore';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const alice = { actor: 'user:default/alice' };

function stack(name: string, labels?: Record<string, string>): StoredResource {
  return {
    apiVersion: 'agents.krate.dev/v1alpha1',
    kind: 'AgentStack',
    metadata: { name, namespace: 'acme', labels },
    spec: { runtime: 'scripted', model: 'm1' },
    status: { readiness: 'Ready' },
  };
}

function run(
  name: string,
  repository: string,
  phase: string,
  namespace = 'acme',
): StoredResource {
  return {
    apiVersion: 'agents.krate.dev/v1alpha1',
    kind: 'AgentDispatchRun',
    metadata: { name, namespace },
    spec: { stack: 'reviewer', prompt: 'fix it', repository },
    status: { phase },
  };
}

describe.each(databases.eachSupportedId())(
  'DatabaseResourceStore on %p',
  databaseId => {
    async function setUp() {
      const knex = await databases.init(databaseId);
      const db = await AgentsDatabase.create({
        database: mockServices.database({ knex }),
      });
      const audit = new DatabaseAuditStore(db.knex);
      return {
        store: new DatabaseResourceStore({ knex: db.knex, audit }),
        audit,
      };
    }

    it('creates configuration objects with server-set metadata and without client status', async () => {
      const { store, audit } = await setUp();
      const created = await store.create(stack('reviewer'), alice);

      expect(created.metadata).toMatchObject({
        name: 'reviewer',
        namespace: 'acme',
        generation: 1,
        resourceVersion: expect.stringMatching(/^\d+$/),
        uid: expect.any(String),
        creationTimestamp: expect.any(String),
      });
      expect(created.status).toBeUndefined();
      expect(await store.get('AgentStack', 'acme', 'reviewer')).toEqual(
        created,
      );
      await expect(
        store.create(stack('reviewer'), alice),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: 'AgentStack acme/reviewer already exists',
      });
      const trail = await audit.listForTarget({
        target: { kind: 'AgentStack', namespace: 'acme', name: 'reviewer' },
        limit: 10,
      });
      expect(trail).toEqual([
        expect.objectContaining({
          action: 'create',
          actor: 'user:default/alice',
          beforeDigest: undefined,
        }),
      ]);
    });

    it('bumps generation only on spec changes, and rejects stale resource versions', async () => {
      const { store } = await setUp();
      const v1 = await store.create(stack('reviewer'), alice);

      const relabelled = await store.update(
        { ...v1, metadata: { ...v1.metadata, labels: { team: 'payments' } } },
        alice,
      );
      expect(relabelled.metadata.generation).toBe(1);
      expect(Number(relabelled.metadata.resourceVersion)).toBeGreaterThan(
        Number(v1.metadata.resourceVersion),
      );

      const respecced = await store.update(
        { ...relabelled, spec: { runtime: 'scripted', model: 'm2' } },
        alice,
      );
      expect(respecced.metadata.generation).toBe(2);

      await expect(
        store.update({ ...v1, spec: { runtime: 'codex' } }, alice),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining('was modified'),
      });
      expect(
        (await store.get('AgentStack', 'acme', 'reviewer'))!.spec.model,
      ).toBe('m2');
    });

    it('dry-runs creates, updates and deletes with every check, writing nothing', async () => {
      const { store, audit } = await setUp();
      const version = await store.currentResourceVersion('AgentStack');

      const wouldCreate = await store.create(stack('reviewer'), alice, {
        dryRun: true,
      });
      expect(wouldCreate.metadata).toMatchObject({
        name: 'reviewer',
        generation: 1,
        uid: expect.any(String),
      });
      expect(await store.get('AgentStack', 'acme', 'reviewer')).toBeUndefined();
      expect(await store.currentResourceVersion('AgentStack')).toBe(version);

      const v1 = await store.create(stack('reviewer'), alice);
      await expect(
        store.create(stack('reviewer'), alice, { dryRun: true }),
      ).rejects.toMatchObject({ name: 'ConflictError' });
      const wouldUpdate = await store.update(
        { ...v1, spec: { runtime: 'codex' } },
        alice,
        { dryRun: true },
      );
      expect(wouldUpdate.spec).toEqual({ runtime: 'codex' });
      expect(wouldUpdate.metadata.generation).toBe(2);
      await expect(
        store.update(
          {
            ...v1,
            metadata: {
              ...v1.metadata,
              resourceVersion: String(Number(v1.metadata.resourceVersion) + 1),
            },
          },
          alice,
          { dryRun: true },
        ),
      ).rejects.toMatchObject({ name: 'ConflictError' });
      await expect(
        store.update(stack('missing'), alice, { dryRun: true }),
      ).rejects.toMatchObject({ name: 'NotFoundError' });

      expect(
        await store.delete('AgentStack', 'acme', 'reviewer', alice, {
          dryRun: true,
        }),
      ).toEqual(v1);

      expect(await store.get('AgentStack', 'acme', 'reviewer')).toEqual(v1);
      expect(await store.currentResourceVersion('AgentStack')).toBe(
        v1.metadata.resourceVersion,
      );
      const trail = await audit.listForTarget({
        target: { kind: 'AgentStack', namespace: 'acme', name: 'reviewer' },
        limit: 10,
      });
      expect(trail.map(r => r.action)).toEqual(['create']);
    });

    it('leaves an unchanged update alone', async () => {
      const { store } = await setUp();
      const v1 = await store.create(stack('reviewer'), alice);
      const same = await store.update(v1, alice);
      expect(same.metadata.resourceVersion).toBe(v1.metadata.resourceVersion);
    });

    it('writes status separately from spec', async () => {
      const { store } = await setUp();
      const v1 = await store.create(stack('reviewer'), alice);

      const withStatus = await store.updateStatus(
        {
          ...v1,
          spec: { runtime: 'ignored' },
          status: { readiness: 'Warning', observedGeneration: 1 },
        },
        alice,
      );
      expect(withStatus.status).toEqual({
        readiness: 'Warning',
        observedGeneration: 1,
      });
      expect(withStatus.spec.runtime).toBe('scripted');
      expect(withStatus.metadata.generation).toBe(1);

      const afterSpecWrite = await store.update(
        {
          ...withStatus,
          status: { readiness: 'Invalid' },
          spec: { runtime: 'codex' },
        },
        alice,
      );
      expect(afterSpecWrite.status).toEqual({
        readiness: 'Warning',
        observedGeneration: 1,
      });
    });

    it('deletes with a precondition and records the change', async () => {
      const { store } = await setUp();
      const v1 = await store.create(stack('reviewer'), alice);
      await expect(
        store.delete('AgentStack', 'acme', 'reviewer', alice, {
          resourceVersion: '999999',
        }),
      ).rejects.toMatchObject({ name: 'ConflictError' });
      await store.delete('AgentStack', 'acme', 'reviewer', alice, {
        resourceVersion: v1.metadata.resourceVersion,
      });
      expect(await store.get('AgentStack', 'acme', 'reviewer')).toBeUndefined();
      await expect(
        store.delete('AgentStack', 'acme', 'reviewer', alice),
      ).rejects.toMatchObject({
        name: 'NotFoundError',
      });
    });

    it('pages configuration objects by name and filters by label selector', async () => {
      const { store } = await setUp();
      for (const [i, name] of ['a', 'b', 'c', 'd', 'e'].entries()) {
        await store.create(
          stack(name, { team: i % 2 ? 'payments' : 'platform' }),
          alice,
        );
      }

      const page1 = await store.list('AgentStack', {
        namespace: 'acme',
        limit: 2,
      });
      expect(page1.items.map(i => i.metadata.name)).toEqual(['a', 'b']);
      const page2 = await store.list('AgentStack', {
        namespace: 'acme',
        limit: 2,
        continueToken: page1.continueToken,
      });
      expect(page2.items.map(i => i.metadata.name)).toEqual(['c', 'd']);
      const page3 = await store.list('AgentStack', {
        namespace: 'acme',
        limit: 2,
        continueToken: page2.continueToken,
      });
      expect(page3.items.map(i => i.metadata.name)).toEqual(['e']);
      expect(page3.continueToken).toBeUndefined();

      const platform = await store.list('AgentStack', {
        limit: 1,
        labelSelector: parseLabelSelector('team=platform'),
      });
      expect(platform.items.map(i => i.metadata.name)).toEqual(['a']);
      const platform2 = await store.list('AgentStack', {
        limit: 5,
        labelSelector: parseLabelSelector('team=platform'),
        continueToken: platform.continueToken,
      });
      expect(platform2.items.map(i => i.metadata.name)).toEqual(['c', 'e']);

      expect(
        (await store.list('AgentStack', { namespace: 'other', limit: 5 }))
          .items,
      ).toEqual([]);
      await expect(
        store.list('AgentStack', { limit: 5, continueToken: 'garbage' }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(/^continue: /),
      });
    });

    it('lists execution records newest first, filtered by their indexed fields', async () => {
      const { store } = await setUp();
      await store.create(run('r1', 'acme/web', 'Succeeded'), alice);
      await store.create(run('r2', 'acme/api', 'Running'), alice);
      await store.create(run('r3', 'acme/web', 'Running'), alice);
      await store.create(run('r4', 'acme/web', 'Running'), alice);
      await store.create(run('r5', 'acme/web', 'Running', 'globex'), alice);

      const created = await store.get('AgentDispatchRun', 'acme', 'r1');
      expect(created!.status).toEqual({ phase: 'Succeeded' });

      const filters = { repository: 'acme/web', phase: 'Running' };
      const page1 = await store.list('AgentDispatchRun', {
        namespace: 'acme',
        fieldFilters: filters,
        limit: 1,
      });
      expect(page1.items.map(i => i.metadata.name)).toEqual(['r4']);
      const page2 = await store.list('AgentDispatchRun', {
        namespace: 'acme',
        fieldFilters: filters,
        limit: 1,
        continueToken: page1.continueToken,
      });
      expect(page2.items.map(i => i.metadata.name)).toEqual(['r3']);
      expect(page2.continueToken).toBeUndefined();

      const everywhere = await store.list('AgentDispatchRun', { limit: 10 });
      expect(everywhere.items.map(i => i.metadata.name)).toEqual([
        'r5',
        'r4',
        'r3',
        'r2',
        'r1',
      ]);
      const allowed = await store.list('AgentDispatchRun', {
        limit: 10,
        allowedNamespaces: ['globex'],
      });
      expect(allowed.items.map(i => i.metadata.name)).toEqual(['r5']);

      const moved = await store.updateStatus(
        { ...created!, status: { phase: 'Failed' } },
        alice,
      );
      expect(moved.status).toEqual({ phase: 'Failed' });
      const failed = await store.list('AgentDispatchRun', {
        fieldFilters: { phase: 'Failed' },
        limit: 10,
      });
      expect(failed.items.map(i => i.metadata.name)).toEqual(['r1']);

      expect(
        (await store.findByName('AgentDispatchRun', 'r5')).map(
          r => r.metadata.namespace,
        ),
      ).toEqual(['globex']);
      await expect(
        store.list('AgentStack', {
          fieldFilters: { phase: 'Running' },
          limit: 1,
        }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: 'phase: AgentStack cannot be filtered by phase',
      });
    });

    it('patches status atomically: concurrent patches all count, none is lost', async () => {
      const { store } = await setUp();
      await store.create(run('r1', 'acme/web', 'Running'), alice);
      const ref = { kind: 'AgentDispatchRun', namespace: 'acme', name: 'r1' };
      await Promise.all(
        Array.from({ length: 20 }, () =>
          store.patchStatus(
            ref,
            status => ({ ...status, count: (status.count ?? 0) + 1 }),
            alice,
          ),
        ),
      );
      const stored = await store.get('AgentDispatchRun', 'acme', 'r1');
      expect(stored?.status).toEqual({ phase: 'Running', count: 20 });
      await expect(
        store.patchStatus({ ...ref, name: 'gone' }, s => s, alice),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
    });

    it('refuses indexed values longer than their column, writing nothing', async () => {
      const { store } = await setUp();
      await expect(
        store.create(run('long', `acme/${'x'.repeat(300)}`, 'Queued'), alice),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: 'spec.repository: must be at most 255 characters',
      });
      expect(
        await store.get('AgentDispatchRun', 'acme', 'long'),
      ).toBeUndefined();
    });

    it('feeds changes in resource-version order and expires compacted versions', async () => {
      const { store } = await setUp();
      const start = await store.currentResourceVersion('AgentStack');
      const a = await store.create(stack('a'), alice);
      await store.create(run('r1', 'acme/web', 'Queued'), alice);
      await store.update({ ...a, spec: { runtime: 'codex' } }, alice);
      await store.delete('AgentStack', 'acme', 'a', alice);

      const changes = await store.changesSince('AgentStack', {
        resourceVersion: start,
        limit: 10,
      });
      expect(changes.events.map(e => [e.type, e.object.spec.runtime])).toEqual([
        ['ADDED', 'scripted'],
        ['MODIFIED', 'codex'],
        ['DELETED', 'codex'],
      ]);
      const versions = changes.events.map(e =>
        Number(e.object.metadata.resourceVersion),
      );
      expect(versions).toEqual([...versions].sort((x, y) => x - y));
      expect(changes.resourceVersion).toBe(
        await store.currentResourceVersion('AgentStack'),
      );

      const resumed = await store.changesSince('AgentStack', {
        resourceVersion: changes.events[0].object.metadata.resourceVersion!,
        limit: 1,
      });
      expect(resumed.events.map(e => e.type)).toEqual(['MODIFIED']);

      await store.compactChanges(1);
      await expect(
        store.changesSince('AgentStack', { resourceVersion: start, limit: 10 }),
      ).rejects.toBeInstanceOf(ResourceExpiredError);
    });

    it('answers every list with the resource version a watch resumes from', async () => {
      const { store } = await setUp();
      const empty = await store.list('AgentDispatchRun', {
        limit: 10,
        withResourceVersion: true,
      });
      expect(empty.items).toEqual([]);
      expect(empty.resourceVersion).toBe(
        await store.currentResourceVersion('AgentStack'),
      );

      await store.create(run('r1', 'acme/web', 'Queued'), alice);
      await store.create(stack('a'), alice);
      const current = await store.currentResourceVersion('AgentStack');
      for (const kind of ['AgentDispatchRun', 'AgentStack']) {
        const listed = await store.list(kind, {
          limit: 10,
          withResourceVersion: true,
        });
        expect(listed.items).toHaveLength(1);
        expect(listed.resourceVersion).toBe(current);
      }
      const filteredOut = await store.list('AgentDispatchRun', {
        limit: 10,
        fieldFilters: { phase: 'Failed' },
        withResourceVersion: true,
      });
      expect(filteredOut).toEqual({ items: [], resourceVersion: current });

      const listed = await store.list('AgentDispatchRun', {
        limit: 10,
        withResourceVersion: true,
      });
      await store.create(run('r2', 'acme/web', 'Queued'), alice);
      const after = await store.changesSince('AgentDispatchRun', {
        resourceVersion: listed.resourceVersion!,
        limit: 10,
      });
      expect(after.events.map(e => e.object.metadata.name)).toEqual(['r2']);

      // The backend's own lists do not ask, and do not wait for a horizon.
      const internal = await store.list('AgentDispatchRun', { limit: 10 });
      expect(internal.resourceVersion).toBeUndefined();
      expect(internal.items).toHaveLength(2);
    });

    it('wakes waiters on a write', async () => {
      const { store } = await setUp();
      const started = Date.now();
      const waiting = store.waitForChange(10_000);
      await store.create(stack('a'), alice);
      await waiting;
      expect(Date.now() - started).toBeLessThan(5_000);
    });
  },
);
