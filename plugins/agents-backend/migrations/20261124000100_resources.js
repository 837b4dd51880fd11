// @ts-check

/**
 * Resources of the agents.krate.dev API group.
 *
 * - agents_counters: the global resource version. Every write takes the next value while holding
 *   the counter row's lock, so resource versions commit in order and a watcher that has seen N
 *   never misses a later change below N.
 * - agents_changes: the change feed (ADDED / MODIFIED / DELETED with the object), compacted from
 *   the oldest end.
 * - agents_config_objects: configuration kinds (low cardinality, CRD-backed in a cluster).
 * - agents_<kind>: one table per execution kind, with the indexed columns the list views filter on.
 *   The list of tables is frozen here on purpose: later kinds come with later migrations.
 */

const EXECUTION_TABLES = [
  'agents_dispatch_runs',
  'agents_dispatch_attempts',
  'agents_context_bundles',
  'agents_sessions',
  'agents_workspaces',
  'agents_approvals',
  'agents_review_artifacts',
  'agents_trigger_executions',
  'agents_tool_events',
  'agents_work_items',
  'agents_work_item_workspace_links',
  'agents_work_item_session_links',
  'agents_webhook_deliveries',
];

/** @param {import('knex').Knex.CreateTableBuilder} table */
function objectColumns(table) {
  table.string('namespace', 63).notNullable();
  table.string('name', 253).notNullable();
  table.string('uid', 36).notNullable();
  table.bigInteger('resource_version').notNullable();
  table.integer('generation').notNullable();
  table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable();
  table.text('object').notNullable().comment('The whole object as JSON');
}

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('agents_counters', table => {
    table.string('name', 64).primary();
    table.bigInteger('value').notNullable();
  });
  await knex('agents_counters').insert([
    { name: 'resourceVersion', value: 0 },
    { name: 'compactedThrough', value: 0 },
  ]);

  await knex.schema.createTable('agents_changes', table => {
    table.bigInteger('resource_version').primary();
    table.string('kind', 64).notNullable();
    table.string('namespace', 63).notNullable();
    table.string('name', 253).notNullable();
    table
      .string('type', 16)
      .notNullable()
      .comment('ADDED, MODIFIED or DELETED');
    table.text('object').notNullable();
    table.index(['kind', 'resource_version'], 'agents_changes_kind_rv_idx');
  });

  await knex.schema.createTable('agents_config_objects', table => {
    table.string('kind', 64).notNullable();
    objectColumns(table);
    table.primary(['kind', 'namespace', 'name']);
    table.unique(['uid'], { indexName: 'agents_config_objects_uid_idx' });
  });

  for (const name of EXECUTION_TABLES) {
    await knex.schema.createTable(name, table => {
      objectColumns(table);
      table.string('repository', 255).nullable();
      table.string('stack', 63).nullable();
      table.string('phase', 32).nullable();
      table.string('source', 64).nullable();
      table.primary(['namespace', 'name']);
      table.unique(['uid'], { indexName: `${name}_uid_idx` });
      table.index(['name'], `${name}_name_idx`);
      table.index(['created_at', 'name'], `${name}_created_idx`);
      // Newest-first keyset pages: (created_at, name) is the sort key, so each index ends with it.
      table.index(
        ['namespace', 'created_at', 'name'],
        `${name}_ns_created_idx`,
      );
      table.index(
        ['namespace', 'repository', 'phase', 'created_at', 'name'],
        `${name}_ns_repo_phase_idx`,
      );
      table.index(
        ['namespace', 'stack', 'created_at', 'name'],
        `${name}_ns_stack_idx`,
      );
      table.index(
        ['namespace', 'phase', 'created_at', 'name'],
        `${name}_ns_phase_idx`,
      );
      table.index(
        ['namespace', 'source', 'created_at', 'name'],
        `${name}_ns_source_idx`,
      );
    });
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const name of [...EXECUTION_TABLES].reverse()) {
    await knex.schema.dropTable(name);
  }
  await knex.schema.dropTable('agents_config_objects');
  await knex.schema.dropTable('agents_changes');
  await knex.schema.dropTable('agents_counters');
};
