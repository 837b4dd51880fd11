// @ts-check

/**
 * Tamper-evident audit: the records of each org (namespace) form a hash chain.
 *
 * - agents_audit_records gets `seq` (1, 2, 3 … per org, unique, so a deleted record leaves a
 *   gap), `prev_digest` (the digest of the org's previous record) and `digest` (sha256 of the
 *   record's canonical serialization, prev_digest included). They stay empty until the record is
 *   sealed into the chain (src/database/sealAuditChain.ts), shortly after it is written; records
 *   that exist already are sealed the same way, in id order, when the backend first runs.
 * - agents_audit_chain_heads: per org, the seq and digest of its last sealed record. Sealing locks
 *   the org's head row, so replicas seal one org in turn.
 */

const RECORDS = 'agents_audit_records';
const HEADS = 'agents_audit_chain_heads';

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable(HEADS, table => {
    table.comment('The last link of each org audit chain');
    table.string('namespace', 253).primary();
    table.bigInteger('seq').notNullable();
    table.string('digest', 80).notNullable();
  });
  await knex.schema.alterTable(RECORDS, table => {
    table.bigInteger('seq').nullable();
    table.string('prev_digest', 80).nullable();
    table.string('digest', 80).nullable();
  });
  await knex.schema.alterTable(RECORDS, table => {
    table.unique(['namespace', 'seq'], {
      indexName: 'agents_audit_records_chain_idx',
    });
    // What the sealer looks for: the few records of each org not chained yet.
    table.index(['namespace'], 'agents_audit_records_unsealed_idx', {
      predicate: knex.whereNull('seq'),
    });
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable(RECORDS, table => {
    table.dropIndex(['namespace'], 'agents_audit_records_unsealed_idx');
    table.dropUnique(['namespace', 'seq'], 'agents_audit_records_chain_idx');
    table.dropColumn('seq');
    table.dropColumn('prev_digest');
    table.dropColumn('digest');
  });
  await knex.schema.dropTable(HEADS);
};
