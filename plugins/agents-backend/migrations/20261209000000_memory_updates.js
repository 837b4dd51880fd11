// @ts-check

/**
 * agents_memory_updates: the AgentMemoryUpdate records (proposed, reviewed and merged changes of
 * an org's memory), an execution kind with the same columns and indexes as the others.
 */

const TABLE = 'agents_memory_updates';

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable(TABLE, table => {
    table.string('namespace', 63).notNullable();
    table.string('name', 253).notNullable();
    table.string('uid', 36).notNullable();
    table.bigInteger('resource_version').notNullable();
    table.integer('generation').notNullable();
    table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable();
    table.text('object').notNullable().comment('The whole object as JSON');
    table.string('repository', 255).nullable();
    table.string('stack', 63).nullable();
    table.string('phase', 32).nullable();
    table.string('source', 64).nullable();
    table.primary(['namespace', 'name']);
    table.unique(['uid'], { indexName: `${TABLE}_uid_idx` });
    table.index(['name'], `${TABLE}_name_idx`);
    table.index(['created_at', 'name'], `${TABLE}_created_idx`);
    table.index(['namespace', 'created_at', 'name'], `${TABLE}_ns_created_idx`);
    table.index(
      ['namespace', 'phase', 'created_at', 'name'],
      `${TABLE}_ns_phase_idx`,
    );
    table.index(
      ['namespace', 'source', 'created_at', 'name'],
      `${TABLE}_ns_source_idx`,
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable(TABLE);
};
