import { createTestStore } from '../__testUtils__/createTestStore';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { WriteBackLedger } from './WriteBackLedger';

const databases = createTestDatabases();

const entry = {
  key: 'wb-1',
  namespace: 'acme',
  artifact: 'run-1-patch-0123456789',
  run: 'run-1',
  digest: 'sha256:00',
  target: 'git',
  operation: { operation: 'branch' as const, branch: 'agents/run-1' },
  state: 'approved' as const,
  requestedBy: 'user:default/mock',
};

describe.each(databases.eachSupportedId())('WriteBackLedger on %p', id => {
  it('records a key once, however often it is inserted', async () => {
    const { db } = await createTestStore(databases, id);
    const ledger = new WriteBackLedger(db.knex);
    const inserts = await Promise.all(
      Array.from({ length: 5 }, () => ledger.insert(entry)),
    );
    expect(inserts.filter(i => i.created)).toHaveLength(1);
    expect(new Set(inserts.map(i => i.entry.key))).toEqual(new Set(['wb-1']));
  });

  it('lets one instance of many apply a write-back, and another only once its lease lapsed', async () => {
    const { db } = await createTestStore(databases, id);
    let now = 1_000_000;
    const ledger = new WriteBackLedger(db.knex, { now: () => now });
    await ledger.insert(entry);
    const claims = await Promise.all(
      ['a', 'b', 'c', 'd'].map(owner => ledger.claim('wb-1', owner, 5000)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    const holder = ['a', 'b', 'c', 'd'][claims.indexOf(true)];
    expect(await ledger.claim('wb-1', 'e', 5000)).toBe(false);
    expect((await ledger.due(10)).map(e => e.key)).toEqual([]);

    now += 5001;
    expect((await ledger.due(10)).map(e => e.key)).toEqual(['wb-1']);
    expect(await ledger.claim('wb-1', 'e', 5000)).toBe(true);
    // The first holder comes back from the dead: it may no longer record anything.
    expect(
      await ledger.finish('wb-1', holder, 'applied', { results: [] }),
    ).toBe(false);
    expect(
      await ledger.finish('wb-1', 'e', 'applied', {
        results: [{ target: 'git', operation: 'branch', ref: 'abc' }],
      }),
    ).toBe(true);
    expect(await ledger.claim('wb-1', 'f', 5000)).toBe(false);
    expect(await ledger.get('wb-1')).toMatchObject({
      state: 'applied',
      tries: 2,
      results: [{ target: 'git', operation: 'branch', ref: 'abc' }],
    });
  });
});
