import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { AgentsStorageDialect } from '@krate/plugin-agents-common';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@krate/plugin-agents-backend',
  'migrations',
);

/** The agents plugin's database: migrated on creation, shared by every store. */
export class AgentsDatabase {
  static async create(options: {
    database: DatabaseService;
  }): Promise<AgentsDatabase> {
    const { database } = options;
    const knex = await database.getClient();
    if (!database.migrations?.skip) {
      await knex.migrate.latest({ directory: migrationsDir });
    }
    const dialect = dialectOf(knex);
    if (dialect === 'sqlite') {
      // The embedded store writes often (events, statuses, audit); a write-ahead log with
      // NORMAL sync keeps commits cheap and stays safe against application crashes.
      await knex.raw('PRAGMA journal_mode = WAL');
      await knex.raw('PRAGMA synchronous = NORMAL');
    }
    return new AgentsDatabase(knex, dialect);
  }

  private constructor(
    readonly knex: Knex,
    readonly dialect: AgentsStorageDialect,
  ) {}

  /** A round trip to the database, so health reflects a reachable store. */
  async ping(): Promise<void> {
    await this.knex.raw('select 1');
  }
}

function dialectOf(knex: Knex): AgentsStorageDialect {
  const client = String(knex.client.config.client);
  if (client === 'pg') {
    return 'postgres';
  }
  if (client === 'better-sqlite3' || client === 'sqlite3') {
    return 'sqlite';
  }
  throw new Error(
    `The agents plugin does not support the '${client}' database client`,
  );
}
