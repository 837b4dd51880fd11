// @ts-check

/**
 * Write-back:
 * - agents_artifact_contents: the content of each AgentReviewArtifact (a patch, a comment or a
 *   review body), kept by the backend; the artifact's spec.digest is the sha256 of it.
 * - agents_write_backs: one row per write-back operation, keyed on (run, artifact digest, target
 *   operation), so the same request twice is one row; its lease makes one instance apply it, and
 *   its state and results are what makes the write to the outside world happen once.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('agents_artifact_contents', table => {
    table.string('namespace', 63).notNullable();
    table.string('artifact', 253).notNullable();
    table.text('content').notNullable().comment('UTF-8 text');
    table.string('digest', 80).notNullable();
    table.primary(['namespace', 'artifact']);
  });
  await knex.schema.createTable('agents_write_backs', table => {
    table.string('key', 80).notNullable().primary();
    table.string('namespace', 63).notNullable();
    table.string('artifact', 253).notNullable();
    table.string('run', 253).notNullable();
    table.string('digest', 80).notNullable();
    table.string('target', 63).notNullable();
    table.text('operation').notNullable().comment('JSON WriteBackOperation');
    table.string('state', 32).notNullable();
    table.string('approval', 253).nullable();
    table.string('requested_by', 255).notNullable();
    table.text('results').nullable().comment('JSON WriteBackResult[]');
    table.text('message').nullable();
    table.string('owner', 255).nullable().comment('Instance holding the lease');
    table.bigInteger('lease_until').notNullable().defaultTo(0);
    table.bigInteger('not_before').notNullable().defaultTo(0);
    table.integer('tries').notNullable().defaultTo(0);
    table.bigInteger('created_at').notNullable();
    table.bigInteger('updated_at').notNullable();
    table.index(['namespace', 'artifact'], 'agents_write_backs_artifact_idx');
    table.index(['state', 'not_before'], 'agents_write_backs_state_idx');
    table.index(['namespace', 'approval'], 'agents_write_backs_approval_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('agents_write_backs');
  await knex.schema.dropTable('agents_artifact_contents');
};
