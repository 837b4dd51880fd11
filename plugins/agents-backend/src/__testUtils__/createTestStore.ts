import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AgentsDatabase } from '../database/AgentsDatabase';
import { DatabaseAuditStore } from '../database/AuditStore';
import { DatabaseResourceStore } from '../database/DatabaseResourceStore';

/** A migrated database of the given kind with the resource store and audit store on it. */
export async function createTestStore(
  databases: TestDatabases,
  id: TestDatabaseId,
) {
  const knex = await databases.init(id);
  const db = await AgentsDatabase.create({
    database: mockServices.database({ knex }),
  });
  const audit = new DatabaseAuditStore(db.knex);
  return {
    db,
    audit,
    store: new DatabaseResourceStore({ knex: db.knex, audit }),
  };
}
