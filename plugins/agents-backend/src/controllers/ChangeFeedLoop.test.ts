import { mockServices } from '@backstage/backend-test-utils';
import { NEXT_VERSION_QUERY } from '../database/SequenceResourceVersions';
import { WatchEvent } from '../resources/ResourceStore';
import { createTestStore } from '../__testUtils__/createTestStore';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { ChangeFeedLoop, FeedReconciler } from './ChangeFeedLoop';

jest.setTimeout(60_000);

const databases = createTestDatabases();

/** Reconciles by remembering the names it was told of. */
class SeenNames implements FeedReconciler {
  readonly seen = new Set<string>();
  #queued: WatchEvent[] = [];

  note(event: WatchEvent) {
    this.#queued.push(event);
  }
  async reconcileAll() {}
  async reconcileQueued() {
    for (const event of this.#queued.splice(0)) {
      this.seen.add(event.object.metadata.name);
    }
  }
  hasQueued() {
    return this.#queued.length > 0;
  }
}

const label = (name: string) => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'AgentContextLabel',
  metadata: { name, namespace: 'acme' },
  spec: { description: name },
});

describe.each(databases.eachSupportedId())('ChangeFeedLoop on %p', id => {
  it('answers whenSynced only once a write that committed before it was reconciled, even while an earlier version is still in flight', async () => {
    const { db, store } = await createTestStore(databases, id);
    const reconciler = new SeenNames();
    const loop = new ChangeFeedLoop({
      name: 'test loop',
      store,
      logger: mockServices.logger.mock(),
      kinds: ['AgentContextLabel'],
      reconciler,
      resyncMs: 3_600_000,
      pollMs: 50,
    });
    await loop.start();
    try {
      // On PostgreSQL versions may commit out of order: a transaction holding an earlier version
      // keeps the horizon (what readers may see) below the write that commits after it.
      const open = id.startsWith('POSTGRES')
        ? await db.knex.transaction()
        : undefined;
      await open?.raw(NEXT_VERSION_QUERY.sql, NEXT_VERSION_QUERY.bindings);
      await store.create(label('after-the-open-one'), { actor: 'test' });

      let synced = false;
      const waiting = loop.whenSynced().then(() => {
        synced = true;
      });
      let syncedWhileOpen = false;
      if (open) {
        await new Promise(resolve => setTimeout(resolve, 600));
        syncedWhileOpen = synced;
        await open.commit();
      }
      await waiting;
      expect(syncedWhileOpen).toBe(false);
      expect(reconciler.seen).toContain('after-the-open-one');
    } finally {
      await loop.stop();
    }
  });
});
