// @ts-check

/**
 * The dispatch engine's own tables.
 *
 * - agents_run_events: the append-only event log of each run. `seq` is per run and has no gaps:
 *   only the holder of an attempt's lease appends, and attempts of a run never overlap.
 * - agents_attempt_leases: which backend instance drives an attempt, until when. A lapsed lease
 *   lets another instance recover the attempt; `runtime_seq` is the last runtime event seq whose
 *   event is in the log (written in the same transaction), so a re-attaching runtime resumes
 *   exactly after it; `cancel_requested` carries a cancel to whichever instance holds the lease.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('agents_run_events', table => {
    table.string('namespace', 63).notNullable();
    table.string('run', 253).notNullable();
    table.bigInteger('seq').notNullable();
    table.string('attempt', 253).notNullable();
    table.string('type', 64).notNullable();
    table.bigInteger('time').notNullable().comment('Epoch milliseconds');
    table.text('payload').notNullable().comment('The event as JSON');
    table.primary(['namespace', 'run', 'seq']);
  });

  await knex.schema.createTable('agents_attempt_leases', table => {
    table.string('namespace', 63).notNullable();
    table.string('attempt', 253).notNullable();
    table.string('run', 253).notNullable();
    table.string('owner', 128).nullable();
    table.bigInteger('expires_at').notNullable().comment('Epoch milliseconds');
    table.bigInteger('runtime_seq').notNullable().defaultTo(0);
    table.boolean('cancel_requested').notNullable().defaultTo(false);
    table.primary(['namespace', 'attempt']);
    table.index(['expires_at'], 'agents_attempt_leases_expires_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('agents_attempt_leases');
  await knex.schema.dropTable('agents_run_events');
};
