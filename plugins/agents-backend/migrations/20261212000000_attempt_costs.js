// @ts-check

/**
 * agents_attempt_costs: the spend ledger, one row per attempt with its running cost total and
 * what budgets are scoped by (stack, trigger rule, owner), so a budget's window is one indexed
 * sum instead of a scan of runs. Times are epoch milliseconds, as in the lease table.
 */

const TABLE = 'agents_attempt_costs';

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable(TABLE, table => {
    table.string('namespace', 63).notNullable();
    table.string('attempt', 253).notNullable();
    table.string('run', 253).notNullable();
    table.string('stack', 63).notNullable();
    table.string('rule', 63).nullable();
    table.string('owner', 255).nullable();
    table.string('model', 255).nullable();
    table.double('usd').notNullable().defaultTo(0);
    table.bigInteger('input_tokens').notNullable().defaultTo(0);
    table.bigInteger('output_tokens').notNullable().defaultTo(0);
    table.bigInteger('started_at').notNullable().comment('Epoch milliseconds');
    table.bigInteger('updated_at').notNullable().comment('Epoch milliseconds');
    table.primary(['namespace', 'attempt']);
    table.index(['namespace', 'started_at'], `${TABLE}_ns_started_idx`);
    table.index(
      ['namespace', 'stack', 'started_at'],
      `${TABLE}_ns_stack_started_idx`,
    );
    table.index(
      ['namespace', 'rule', 'started_at'],
      `${TABLE}_ns_rule_started_idx`,
    );
    table.index(
      ['namespace', 'owner', 'started_at'],
      `${TABLE}_ns_owner_started_idx`,
    );
    table.index(['namespace', 'run'], `${TABLE}_ns_run_idx`);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable(TABLE);
};
