import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { until } from '../__testUtils__/until';
import { AgentsDatabase } from './AgentsDatabase';
import { AuditSealer } from './AuditSealer';
import { DatabaseAuditStore } from './AuditStore';

const databases = createTestDatabases();

describe('AuditSealer', () => {
  it('seals new records into the chain on its own, until stopped', async () => {
    const db = await AgentsDatabase.create({
      database: mockServices.database({
        knex: await databases.init('SQLITE_3'),
      }),
    });
    const audit = new DatabaseAuditStore(db.knex);
    const sealer = new AuditSealer({
      audit,
      logger: mockServices.logger.mock(),
      intervalMs: 20,
    });
    const target = { kind: 'AgentStack', namespace: 'acme', name: 'reviewer' };
    const read = async () =>
      (await audit.listForTarget({ target, limit: 10 })).map(r => r.seq);

    sealer.start();
    try {
      await audit.append({
        actor: 'user:default/alice',
        action: 'create',
        target,
      });
      await until(read, seqs => seqs[0] === 1);
      await audit.append({
        actor: 'user:default/alice',
        action: 'update',
        target,
      });
      await until(read, seqs => seqs[0] === 2);
    } finally {
      await sealer.stop();
    }
    await audit.append({
      actor: 'user:default/alice',
      action: 'delete',
      target,
    });
    await new Promise(resolve => setTimeout(resolve, 200));
    expect(await read()).toEqual([undefined, 2, 1]);
  });
});
