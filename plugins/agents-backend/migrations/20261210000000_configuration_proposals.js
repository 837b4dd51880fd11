// @ts-check

/**
 * agents_configuration_proposals: one row per configuration object proposed as YAML to an org's
 * configuration repository, keyed on (object, YAML digest, target operation), so the same
 * proposal twice is one row and one branch or pull request; its lease keeps two requests from
 * writing at once.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('agents_configuration_proposals', table => {
    table.string('key', 80).notNullable().primary();
    table.string('namespace', 63).notNullable();
    table.string('kind', 63).notNullable();
    table.string('name', 253).notNullable();
    table.string('digest', 80).notNullable();
    table.string('repository', 255).notNullable();
    table.string('path', 1024).notNullable();
    table.string('branch', 255).notNullable();
    table.string('target', 63).notNullable();
    table.string('operation', 32).notNullable();
    table.string('state', 32).notNullable();
    table.text('results').nullable().comment('JSON WriteBackResult[]');
    table.text('message').nullable();
    table.string('requested_by', 255).notNullable();
    table.bigInteger('lease_until').notNullable().defaultTo(0);
    table.bigInteger('created_at').notNullable();
    table.bigInteger('updated_at').notNullable();
    table.index(
      ['namespace', 'kind', 'name'],
      'agents_configuration_proposals_object_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('agents_configuration_proposals');
};
