import { TestDatabaseId } from '@backstage/backend-test-utils';
import { createTestStore } from '../__testUtils__/createTestStore';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { SpendLedger } from './SpendLedger';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())('SpendLedger on %p', databaseId => {
  async function ledger(id: TestDatabaseId) {
    const { db } = await createTestStore(databases, id);
    return new SpendLedger(db.knex);
  }

  const spend = (attempt: string, usd: number, startedAt: Date) => ({
    namespace: 'acme',
    attempt,
    run: attempt.replace(/-\d+$/, ''),
    stack: 'builder',
    rule: 'alerts',
    startedAt,
    usd,
    inputTokens: 10,
    outputTokens: 5,
  });

  it('holds running totals: the same total written again (a takeover) does not add up', async () => {
    const spends = await ledger(databaseId);
    const started = new Date(Date.now() - 60_000);
    await spends.record(spend('run-1-1', 0.5, started));
    await spends.record(spend('run-1-1', 0.5, started));
    await spends.record(spend('run-1-1', 0.75, started));
    await spends.record(spend('run-1-2', 0.25, started));

    const since = new Date(Date.now() - 3_600_000);
    expect(await spends.sum('acme', { rule: 'alerts' }, since)).toEqual({
      usd: 1,
      inputTokens: 20,
      outputTokens: 10,
      tokens: 30,
    });
    expect(await spends.sum('acme', { stack: 'other' }, since)).toEqual({
      usd: 0,
      inputTokens: 0,
      outputTokens: 0,
      tokens: 0,
    });
    expect(await spends.sum('other-org', {}, since)).toMatchObject({ usd: 0 });
  });

  it('keeps the start of an attempt: a later total does not move it into a newer window', async () => {
    const spends = await ledger(databaseId);
    const longAgo = new Date(Date.now() - 48 * 3_600_000);
    await spends.record(spend('old-1', 2, longAgo));
    await spends.record(spend('old-1', 3, new Date()));

    const lastDay = new Date(Date.now() - 24 * 3_600_000);
    expect(await spends.sum('acme', {}, lastDay)).toMatchObject({ usd: 0 });
    expect(
      await spends.sum('acme', {}, new Date(Date.now() - 72 * 3_600_000)),
    ).toMatchObject({ usd: 3 });
  });
});
