import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const directory = resolvePackagePath(
  '@krate/plugin-agents-backend',
  'migrations',
);
const INDEXES = ['agents_dispatch_runs_rv_idx', 'agents_approvals_rv_idx'];

async function indexNames(knex: Knex): Promise<string[]> {
  if (knex.client.config.client === 'pg') {
    const { rows } = await knex.raw(
      `select indexname as name from pg_indexes where indexname in ('agents_dispatch_runs_rv_idx', 'agents_approvals_rv_idx')`,
    );
    return rows.map((r: { name: string }) => r.name).sort();
  }
  const rows = await knex.raw(
    `select name from sqlite_master where type = 'index' and name in ('agents_dispatch_runs_rv_idx', 'agents_approvals_rv_idx')`,
  );
  return rows.map((r: { name: string }) => r.name).sort();
}

describe.each(databases.eachSupportedId())(
  'the changed runs and approvals index migration on %p',
  databaseId => {
    it('indexes the resource version of runs and approvals, and drops the indexes going down', async () => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory });
      expect(await indexNames(knex)).toEqual([...INDEXES].sort());

      await knex.migrate.down({
        directory,
        name: '20261211000000_changed_runs_and_approvals_index.js',
      });
      expect(await indexNames(knex)).toEqual([]);
    });
  },
);
