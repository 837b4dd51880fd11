import { Knex } from 'knex';

/** The names of the plugin's tables, on SQLite or PostgreSQL. */
async function tablesOf(knex: Knex): Promise<string[]> {
  if (knex.client.config.client.includes('sqlite')) {
    const rows = await knex('sqlite_master')
      .where({ type: 'table' })
      .select('name');
    return rows.map(row => row.name);
  }
  const rows = await knex('information_schema.tables')
    .where({ table_schema: knex.raw('current_schema()') })
    .select('table_name');
  return rows.map(row => row.table_name);
}

/** Every row of every table, serialized per table: whatever the plugin stored anywhere. */
export async function databaseRows(
  knex: Knex,
): Promise<{ table: string; rows: string }[]> {
  const dumps = [];
  for (const table of await tablesOf(knex)) {
    const rows = await knex(table).select('*');
    const readable = rows.map(row =>
      Object.fromEntries(
        Object.entries(row).map(([column, value]) => [
          column,
          Buffer.isBuffer(value) ? value.toString('utf8') : value,
        ]),
      ),
    );
    dumps.push({ table, rows: JSON.stringify(readable) });
  }
  return dumps;
}
