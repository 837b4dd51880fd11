// @ts-check

/**
 * Lists of runs and approvals by change (`?changedAfter=<resourceVersion>`, latest write first),
 * which the search collators read on every pass to index only what changed: an index on the
 * resource version keeps each such read to the changed rows, on SQLite and PostgreSQL alike.
 */

const TABLES = ['agents_dispatch_runs', 'agents_approvals'];

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  for (const name of TABLES) {
    await knex.schema.alterTable(name, table => {
      table.index(['resource_version'], `${name}_rv_idx`);
    });
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const name of TABLES) {
    await knex.schema.alterTable(name, table => {
      table.dropIndex(['resource_version'], `${name}_rv_idx`);
    });
  }
};
