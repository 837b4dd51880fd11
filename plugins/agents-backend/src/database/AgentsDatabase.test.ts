import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { AgentsDatabase } from './AgentsDatabase';
import { DatabaseAuditStore } from './AuditStore';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'AgentsDatabase on %p',
  databaseId => {
    async function createDatabase() {
      const knex = await databases.init(databaseId);
      return AgentsDatabase.create({
        database: mockServices.database({ knex }),
      });
    }

    it('migrates and reports its dialect', async () => {
      const db = await createDatabase();
      expect(db.dialect).toBe(
        databaseId.startsWith('POSTGRES') ? 'postgres' : 'sqlite',
      );
      await expect(db.ping()).resolves.toBeUndefined();
      expect(await db.knex.schema.hasTable('agents_audit_records')).toBe(true);
    });

    it('keeps a per-resource audit trail, newest first, paged', async () => {
      const db = await createDatabase();
      const audit = new DatabaseAuditStore(db.knex);
      const target = {
        kind: 'AgentStack',
        namespace: 'acme',
        name: 'reviewer',
      };
      const first = await audit.append({
        actor: 'user:default/alice',
        action: 'create',
        target,
        afterDigest: 'sha256:aaa',
      });
      await audit.append({
        actor: 'user:default/bob',
        action: 'update',
        target: { ...target, name: 'other' },
      });
      const third = await audit.append({
        actor: 'user:default/bob',
        action: 'update',
        target,
        beforeDigest: 'sha256:aaa',
        afterDigest: 'sha256:bbb',
      });

      const page1 = await audit.listForTarget({ target, limit: 1 });
      expect(page1).toEqual([
        expect.objectContaining({
          id: third.id,
          actor: 'user:default/bob',
          beforeDigest: 'sha256:aaa',
          afterDigest: 'sha256:bbb',
        }),
      ]);
      const page2 = await audit.listForTarget({
        target,
        limit: 10,
        before: third.id,
      });
      expect(page2.map(r => r.id)).toEqual([first.id]);
      expect(page2[0].beforeDigest).toBeUndefined();
      expect(Date.parse(page2[0].occurredAt)).not.toBeNaN();
    });
  },
);
