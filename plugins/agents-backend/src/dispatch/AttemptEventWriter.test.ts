import { TestDatabaseId } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { createTestStore } from '../__testUtils__/createTestStore';
import { AttemptLeases } from '../database/AttemptLeases';
import { RunEventLog } from '../database/RunEventLog';
import { AttemptEventWriter } from './AttemptEventWriter';
import { Redactor } from './Redactor';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const ref = { namespace: 'acme', run: 'triage-abc' };

describe.each(databases.eachSupportedId())('AttemptEventWriter on %p', id => {
  async function setup(databaseId: TestDatabaseId) {
    const { db } = await createTestStore(databases, databaseId);
    const log = new RunEventLog(db.knex);
    const leases = new AttemptLeases(db.knex, {
      owner: 'a',
      durationMs: 10_000,
    });
    await leases.enqueue({
      namespace: 'acme',
      attempt: 'triage-abc-1',
      run: ref.run,
    });
    const costs: { usd: number; inputTokens: number; outputTokens: number }[] =
      [];
    const writer = (nextSeq: number, attempt = 'triage-abc-1') =>
      new AttemptEventWriter({
        log,
        redactor: new Redactor(['the-gateway-token']),
        ...ref,
        attempt,
        nextSeq,
        onCost: delta => costs.push(delta),
      });
    return { log, leases, writer, costs };
  }

  it('stores every event once, in order, with no gap, across batches', async () => {
    const { log, writer } = await setup(id);
    const first = writer(1);
    for (let i = 0; i < 4500; i++) {
      first.push({ type: 'text', text: `line ${i}` });
    }
    await first.drain();
    const events = await log.read(ref, { sinceSeq: 0, limit: 10_000 });
    expect(events).toHaveLength(4500);
    expect(events.map(e => e.seq)).toEqual(
      Array.from({ length: 4500 }, (_, i) => i + 1),
    );
    expect(events[4499]).toMatchObject({
      type: 'text',
      text: 'line 4499',
      attempt: 'triage-abc-1',
    });

    // A later attempt of the run continues the same seq range.
    const second = writer((await log.lastSeq(ref)) + 1, 'triage-abc-2');
    second.push({ type: 'text', text: 'retry' });
    await second.drain();
    expect(await log.read(ref, { sinceSeq: 4500, limit: 10 })).toEqual([
      expect.objectContaining({ seq: 4501, attempt: 'triage-abc-2' }),
    ]);
  });

  it('redacts secrets before storing and rolls up cost', async () => {
    const { log, writer, costs } = await setup(id);
    const w = writer(1);
    w.push({
      type: 'shell_start',
      command: 'curl -H "Authorization: the-gateway-token" x',
    });
    w.push({ type: 'cost', usd: 0.5, inputTokens: 10, outputTokens: 2 });
    w.push({ type: 'cost', usd: 0.25, inputTokens: 5, outputTokens: 1 });
    await w.drain();
    const [shell] = await log.read(ref, { sinceSeq: 0, limit: 1 });
    expect(JSON.stringify(shell)).not.toContain('the-gateway-token');
    expect(costs.reduce((sum, c) => sum + c.usd, 0)).toBeCloseTo(0.75);
    expect(costs.reduce((sum, c) => sum + c.inputTokens, 0)).toBe(15);
  });

  it('records the highest runtime seq on the lease row with the events', async () => {
    const { writer, leases } = await setup(id);
    const w = writer(1);
    w.push({ type: 'text', text: 'a' }, 7);
    w.push({ type: 'text', text: 'b' }, 9);
    await w.drain();
    expect(
      (await leases.get({ namespace: 'acme', attempt: 'triage-abc-1' }))
        ?.runtimeSeq,
    ).toBe(9);
  });

  it('refuses a duplicate seq rather than storing an event twice', async () => {
    const { writer } = await setup(id);
    const a = writer(1);
    a.push({ type: 'text', text: 'a' });
    await a.drain();
    const b = writer(1);
    b.push({ type: 'text', text: 'again' });
    await expect(b.drain()).rejects.toThrow(/Could not store events 1–1/);
  });

  it('stores what was pushed before it closed and nothing after', async () => {
    const { log, writer } = await setup(id);
    const w = writer(1);
    w.push({ type: 'text', text: 'last words' });
    w.close();
    w.push({ type: 'text', text: 'too late' });
    await w.drain();
    expect(
      (await log.read(ref, { sinceSeq: 0, limit: 10 })).map(e => e.seq),
    ).toEqual([1]);
    expect(w.lastSeq).toBe(1);
  });
});

describe.each(databases.eachSupportedId())('AttemptLeases on %p', id => {
  it('lets exactly one of two instances claim an attempt, and another take over a lapsed one', async () => {
    const { db } = await createTestStore(databases, id);
    let now = 1_000_000;
    const clock = () => now;
    const one = new AttemptLeases(db.knex, {
      owner: 'one',
      durationMs: 30_000,
      now: clock,
    });
    const two = new AttemptLeases(db.knex, {
      owner: 'two',
      durationMs: 30_000,
      now: clock,
    });
    const entry = { namespace: 'acme', attempt: 'r-1', run: 'r' };
    await one.enqueue(entry);
    await two.enqueue(entry);

    const claims = await Promise.all([
      one.claim(entry),
      two.claim(entry),
      one.claim(entry),
      two.claim(entry),
    ]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    const winner = claims[0] || claims[2] ? one : two;
    const loser = winner === one ? two : one;
    expect(await loser.claimable(10)).toEqual([]);
    expect(await winner.renew(entry)).toEqual({
      held: true,
      cancelRequested: false,
    });

    now += 31_000;
    expect(await loser.claimable(10)).toEqual([
      expect.objectContaining({ attempt: 'r-1', owner: winner.owner }),
    ]);
    expect(await loser.claim(entry)).toBe(true);
    expect(await winner.renew(entry)).toEqual({
      held: false,
      cancelRequested: false,
    });

    await winner.requestCancel(entry);
    expect(await loser.renew(entry)).toEqual({
      held: true,
      cancelRequested: true,
    });
    await loser.release(entry);
    expect(await loser.get(entry)).toBeUndefined();
  });

  it('claims lapsed leases in batches, each by one instance, naming the owner it had before', async () => {
    const { db } = await createTestStore(databases, id);
    let now = 1_000_000;
    const instances = ['one', 'two', 'three'].map(
      owner =>
        new AttemptLeases(db.knex, {
          owner,
          durationMs: 30_000,
          now: () => now,
        }),
    );
    const attempts = Array.from({ length: 12 }, (_, i) => `r${i}-1`);
    for (const attempt of attempts) {
      await instances[0].enqueue({ namespace: 'acme', attempt, run: 'r' });
    }

    const batches = await Promise.all(
      instances.map(instance => instance.claimNext(5)),
    );
    const claimed = batches.flat().map(lease => lease.attempt);
    expect(batches.every(batch => batch.length <= 5)).toBe(true);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(batches.flat().every(lease => lease.owner === null)).toBe(true);
    const rest = await instances[0].claimNext(20);
    expect([...claimed, ...rest.map(lease => lease.attempt)].sort()).toEqual(
      [...attempts].sort(),
    );
    // Held now: nothing is left to claim until the leases lapse.
    expect(await instances[1].claimNext(20)).toEqual([]);

    const holders = new Map([
      ...batches.flatMap((batch, i) => batch.map(l => [l.attempt, i])),
      ...rest.map(l => [l.attempt, 0]),
    ] as [string, number][]);
    now += 31_000;
    const takenOver = await instances[2].claimNext(20);
    expect(takenOver).toHaveLength(attempts.length);
    for (const lease of takenOver) {
      expect(lease.owner).toBe(instances[holders.get(lease.attempt)!].owner);
    }
  });
});
