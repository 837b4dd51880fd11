// @ts-check

/**
 * Tamper-evident audit: the records of each org (namespace) form a hash chain.
 *
 * - agents_audit_records gets `seq` (1, 2, 3 … per org, unique, so a deleted record leaves a
 *   gap), `prev_digest` (the digest of the org's previous record) and `digest` (sha256 of the
 *   record's canonical serialization, prev_digest included).
 * - agents_audit_chain_heads: per org, the seq and digest of its last record. Appends lock the
 *   org's head row, so replicas append to one org in turn.
 *
 * The records that exist already are chained here, per org in id order (the order they were
 * written in), so an upgraded database verifies.
 */

const { createHash } = require('node:crypto');

const RECORDS = 'agents_audit_records';
const HEADS = 'agents_audit_chain_heads';
const GENESIS = `sha256:${'0'.repeat(64)}`;
const PAGE = 1000;

/**
 * A frozen copy of auditDigest (src/database/auditDigest.ts) as it was when this migration was
 * written: the records chained here must verify with it for good.
 * @param {any} row
 * @param {number} seq
 * @param {string} prevDigest
 */
function digestOf(row, seq, prevDigest) {
  const canonical = JSON.stringify([
    'agents-audit/v1',
    seq,
    new Date(row.occurred_at).toISOString(),
    row.actor,
    row.action,
    row.kind,
    row.namespace,
    row.name,
    row.before_digest ?? null,
    row.after_digest ?? null,
    prevDigest,
  ]);
  return `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}

/**
 * Chains every record that has no seq yet, org by org in id order, and writes each org's head.
 * @param {import('knex').Knex} knex
 */
async function chainExistingRecords(knex) {
  /** @type {Map<string, { seq: number, digest: string }>} */
  const heads = new Map();
  let afterId = 0;
  for (;;) {
    const rows = await knex(RECORDS)
      .whereNull('seq')
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(PAGE);
    if (rows.length === 0) break;
    for (const row of rows) {
      const head = heads.get(row.namespace) ?? { seq: 0, digest: GENESIS };
      const seq = head.seq + 1;
      const digest = digestOf(row, seq, head.digest);
      await knex(RECORDS)
        .where({ id: row.id })
        .update({ seq, prev_digest: head.digest, digest });
      heads.set(row.namespace, { seq, digest });
    }
    afterId = Number(rows[rows.length - 1].id);
  }
  for (const [namespace, head] of heads) {
    await knex(HEADS).insert({ namespace, ...head });
  }
}

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
  await chainExistingRecords(knex);
  await knex.schema.alterTable(RECORDS, table => {
    table.bigInteger('seq').notNullable().alter();
    table.string('prev_digest', 80).notNullable().alter();
    table.string('digest', 80).notNullable().alter();
    table.unique(['namespace', 'seq'], {
      indexName: 'agents_audit_records_chain_idx',
    });
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable(RECORDS, table => {
    table.dropUnique(['namespace', 'seq'], 'agents_audit_records_chain_idx');
    table.dropColumn('seq');
    table.dropColumn('prev_digest');
    table.dropColumn('digest');
  });
  await knex.schema.dropTable(HEADS);
};
