import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseAuditStore } from './AuditStore';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const directory = resolvePackagePath(
  '@krate/plugin-agents-backend',
  'migrations',
);
const CHAIN_MIGRATION = '20261207000000_audit_chain.js';

/** Migrates up to, not including, the audit chain migration: the schema of earlier versions. */
async function migrateToBeforeChain(knex: Knex) {
  for (;;) {
    const [, pending] = await knex.migrate.list({ directory });
    const next = pending[0];
    if (!next || next.file === CHAIN_MIGRATION) {
      return;
    }
    await knex.migrate.up({ directory });
  }
}

describe.each(databases.eachSupportedId())(
  'the audit chain migration on %p',
  databaseId => {
    it('leaves the records written before it to be sealed, per org in id order', async () => {
      const knex = await databases.init(databaseId);
      await migrateToBeforeChain(knex);
      const written = [
        ['acme', 'user:default/alice', 'create', 'reviewer'],
        ['globex', 'user:default/bob', 'create', 'fixer'],
        ['acme', 'service:agents', 'update-status', 'reviewer'],
        ['acme', 'user:default/alice', 'delete', 'reviewer'],
        ['globex', 'user:default/bob', 'update', 'fixer'],
      ];
      for (const [i, [namespace, actor, action, name]] of written.entries()) {
        await knex('agents_audit_records').insert({
          occurred_at: new Date(Date.UTC(2026, 10, 1, 10, i)),
          actor,
          action,
          kind: 'AgentStack',
          namespace,
          name,
          before_digest: action === 'create' ? null : 'sha256:before',
          after_digest: action === 'delete' ? null : 'sha256:after',
        });
      }

      await knex.migrate.latest({ directory });

      const audit = new DatabaseAuditStore(knex);
      await expect(audit.verify('acme')).resolves.toMatchObject({
        ok: true,
        records: 3,
      });
      await expect(audit.verify('globex')).resolves.toMatchObject({
        ok: true,
        records: 2,
      });
      const acme = await audit.listForTarget({
        target: { kind: 'AgentStack', namespace: 'acme', name: 'reviewer' },
        limit: 10,
      });
      expect(acme.map(r => [r.seq, r.action])).toEqual([
        [3, 'delete'],
        [2, 'update-status'],
        [1, 'create'],
      ]);

      await audit.append({
        actor: 'user:default/alice',
        action: 'create',
        target: { kind: 'AgentStack', namespace: 'acme', name: 'again' },
      });
      await audit.seal('acme');
      const [next] = await audit.listForTarget({
        target: { kind: 'AgentStack', namespace: 'acme', name: 'again' },
        limit: 1,
      });
      expect(next).toMatchObject({ seq: 4, prevDigest: acme[0].digest });
      await expect(audit.verify('acme')).resolves.toMatchObject({
        ok: true,
        records: 4,
      });

      await knex('agents_audit_records')
        .where({ namespace: 'globex', action: 'create' })
        .update({ actor: 'user:default/mallory' });
      await expect(audit.verify('globex')).resolves.toMatchObject({
        ok: false,
        brokenAt: { seq: 1, reason: 'digest-mismatch' },
      });
    });
  },
);
