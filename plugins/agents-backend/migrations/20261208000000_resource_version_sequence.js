// @ts-check

/**
 * PostgreSQL takes resource versions from a sequence instead of the agents_counters row.
 *
 * The row serialized every write of every replica: a writer held its lock from the version it took
 * to its commit. A sequence hands out versions without a lock, so they may commit out of order;
 * readers only see versions up to a horizon below which every writer has finished
 * (src/database/SequenceResourceVersions.ts). SQLite has one writer at a time and keeps the row.
 */

const SEQUENCE = 'agents_resource_version_seq';

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  if (knex.client.config.client !== 'pg') {
    return;
  }
  const row = await knex('agents_counters')
    .where({ name: 'resourceVersion' })
    .first('value');
  const current = Number(row?.value ?? 0);
  await knex.raw(`create sequence ?? as bigint minvalue 1`, [SEQUENCE]);
  if (current > 0) {
    await knex.raw(`select setval(?::regclass, ?, true)`, [SEQUENCE, current]);
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  if (knex.client.config.client !== 'pg') {
    return;
  }
  const { rows } = await knex.raw(
    `select case when is_called then last_value else 0 end as value from ??`,
    [SEQUENCE],
  );
  await knex('agents_counters')
    .where({ name: 'resourceVersion' })
    .update({ value: rows[0].value });
  await knex.raw(`drop sequence ??`, [SEQUENCE]);
};
