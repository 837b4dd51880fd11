// @ts-check

/**
 * Audit records: who did what to which resource, with digests of the object before and after.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('agents_audit_records', table => {
    table.comment('One row per mutation of an agents resource');
    table.bigIncrements('id').primary();
    table.timestamp('occurred_at', { useTz: true }).notNullable();
    table
      .string('actor', 255)
      .notNullable()
      .comment('Entity ref of the user or service');
    table.string('action', 64).notNullable();
    table.string('kind', 64).notNullable();
    table.string('namespace', 253).notNullable();
    table.string('name', 253).notNullable();
    table.string('before_digest', 80).nullable();
    table.string('after_digest', 80).nullable();
    table.index(
      ['kind', 'namespace', 'name', 'id'],
      'agents_audit_records_target_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('agents_audit_records');
};
