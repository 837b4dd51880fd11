// @ts-check

/**
 * agents_webhook_payloads: the raw body of each webhook delivery, kept for a retention period so
 * a delivery can be replayed (and a delivery interrupted by a restart can be replayed). The
 * WebhookDelivery record holds only the payload's digest.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('agents_webhook_payloads', table => {
    table.string('namespace', 63).notNullable();
    table.string('delivery', 253).notNullable();
    table.text('payload').notNullable().comment('The raw body, UTF-8');
    table.bigInteger('received_at').notNullable().comment('Epoch milliseconds');
    table.primary(['namespace', 'delivery']);
    table.index(['received_at'], 'agents_webhook_payloads_received_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('agents_webhook_payloads');
};
