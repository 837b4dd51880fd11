import { mockServices } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { StoredResource } from '../resources/ResourceStore';
import { AgentsDatabase } from './AgentsDatabase';
import { DatabaseAuditStore } from './AuditStore';
import { DatabaseResourceStore } from './DatabaseResourceStore';
import { resourceVersionsFor } from './ResourceVersions';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const alice = { actor: 'user:default/alice' };

function stack(name: string): StoredResource {
  return {
    apiVersion: 'agents.krate.dev/v1alpha1',
    kind: 'AgentStack',
    metadata: { name, namespace: 'acme' },
    spec: { runtime: 'scripted' },
  };
}

/** Holds a transaction open after it took its resource version, as a slow writer would. */
async function openWriter(knex: Knex) {
  const tx = await knex.transaction();
  const version = await resourceVersionsFor(knex).next(tx);
  await tx('agents_changes').insert({
    resource_version: version,
    kind: 'AgentStack',
    namespace: 'acme',
    name: 'slow',
    type: 'ADDED',
    object: JSON.stringify({
      ...stack('slow'),
      metadata: {
        name: 'slow',
        namespace: 'acme',
        resourceVersion: String(version),
      },
    }),
  });
  return { tx, version };
}

describe.each(databases.eachSupportedId())(
  'resource versions on %p',
  databaseId => {
    async function setUp() {
      const knex = await databases.init(databaseId);
      const db = await AgentsDatabase.create({
        database: mockServices.database({ knex }),
      });
      const store = new DatabaseResourceStore({
        knex: db.knex,
        audit: new DatabaseAuditStore(db.knex),
      });
      return { knex: db.knex, store };
    }

    it('hands out increasing versions and answers the last committed one as the horizon', async () => {
      const { store } = await setUp();
      const first = await store.create(stack('a'), alice);
      const second = await store.create(stack('b'), alice);
      expect(Number(second.metadata.resourceVersion)).toBeGreaterThan(
        Number(first.metadata.resourceVersion),
      );
      expect(await store.currentResourceVersion('AgentStack')).toBe(
        second.metadata.resourceVersion,
      );
    });

    if (databaseId.startsWith('POSTGRES')) {
      it('keeps watchers below a version that is taken but not committed, then delivers both in order', async () => {
        const { knex, store } = await setUp();
        const start = await store.currentResourceVersion('AgentStack');
        const slow = await openWriter(knex);
        try {
          const quick = await store.create(stack('quick'), alice);
          expect(Number(quick.metadata.resourceVersion)).toBeGreaterThan(
            slow.version,
          );

          // The quick write has committed, the slow one has not: a watcher that took the quick
          // one now would resume above the slow one and never see it.
          const early = await store.changesSince('AgentStack', {
            resourceVersion: start,
            limit: 10,
          });
          expect(early.events).toEqual([]);
          expect(Number(early.resourceVersion)).toBeLessThan(slow.version);
          const listed = await store.list('AgentStack', {
            limit: 10,
            withResourceVersion: true,
          });
          expect(Number(listed.resourceVersion)).toBeLessThan(slow.version);

          await slow.tx.commit();
          const late = await store.changesSince('AgentStack', {
            resourceVersion: early.resourceVersion,
            limit: 10,
          });
          expect(late.events.map(e => e.object.metadata.name)).toEqual([
            'slow',
            'quick',
          ]);
          expect(late.resourceVersion).toBe(quick.metadata.resourceVersion);
        } finally {
          if (!slow.tx.isCompleted()) await slow.tx.rollback();
        }
      });

      it('passes the version of a writer that rolled back', async () => {
        const { knex, store } = await setUp();
        const start = await store.currentResourceVersion('AgentStack');
        const slow = await openWriter(knex);
        const quick = await store.create(stack('quick'), alice);
        await slow.tx.rollback();
        const changes = await store.changesSince('AgentStack', {
          resourceVersion: start,
          limit: 10,
        });
        expect(changes.events.map(e => e.object.metadata.name)).toEqual([
          'quick',
        ]);
        expect(changes.resourceVersion).toBe(quick.metadata.resourceVersion);
      });

      it('lets writers of the same database run at once: neither waits for the other', async () => {
        const { knex, store } = await setUp();
        const slow = await openWriter(knex);
        try {
          // With a version counter row the second writer would wait for the first one's commit.
          const quick = await Promise.race([
            store.create(stack('quick'), alice),
            new Promise<undefined>(resolve =>
              setTimeout(() => resolve(undefined), 5_000),
            ),
          ]);
          expect(quick?.metadata.name).toBe('quick');
        } finally {
          await slow.tx.rollback();
        }
      });
    }
  },
);
