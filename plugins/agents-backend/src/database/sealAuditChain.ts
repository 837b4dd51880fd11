import { AUDIT_GENESIS_DIGEST } from '@krate/plugin-agents-common';
import { Knex } from 'knex';
import { auditDigest } from './auditDigest';
import {
  AUDIT_HEADS_TABLE,
  AUDIT_TABLE,
  AuditHeadRow,
  AuditRow,
  toAuditRecord,
} from './auditRows';

const BATCH = 500;
const LINKS_PER_STATEMENT = 100;

interface Link {
  id: number | string;
  seq: number;
  prevDigest: string;
  digest: string;
}

/** Writes many records' links in one statement (UPDATE … FROM VALUES, in PostgreSQL and SQLite). */
async function writeLinks(tx: Knex.Transaction, links: Link[]) {
  // The casts type the VALUES columns for PostgreSQL, which would take the parameters as text.
  const rows = links
    .map(() => '(cast(? as bigint), cast(? as bigint), ?, ?)')
    .join(', ');
  await tx.raw(
    `update ?? as audit
        set seq = link.column2, prev_digest = link.column3, digest = link.column4
       from (values ${rows}) as link
      where audit.id = link.column1`,
    [
      AUDIT_TABLE,
      ...links.flatMap(link => [
        link.id,
        link.seq,
        link.prevDigest,
        link.digest,
      ]),
    ],
  );
}

/** Locks the org's chain head for the transaction, creating it at the genesis if it is new. */
async function lockHead(
  tx: Knex.Transaction,
  org: string,
): Promise<{ seq: number; digest: string }> {
  await tx(AUDIT_HEADS_TABLE)
    .insert({ namespace: org, seq: 0, digest: AUDIT_GENESIS_DIGEST })
    .onConflict('namespace')
    .ignore();
  const query = tx<AuditHeadRow>(AUDIT_HEADS_TABLE).where({ namespace: org });
  if (tx.client.config.client === 'pg') query.forUpdate();
  const head = await query.first();
  return { seq: Number(head!.seq), digest: head!.digest };
}

/** Chains up to BATCH unsealed records of the org after its head; answers how many. */
async function sealBatch(knex: Knex, org: string): Promise<number> {
  return knex.transaction(async tx => {
    const head = await lockHead(tx, org);
    const rows: AuditRow[] = await tx<AuditRow>(AUDIT_TABLE)
      .where({ namespace: org })
      .whereNull('seq')
      .orderBy('id')
      .limit(BATCH);
    let { seq, digest } = head;
    const links: Link[] = [];
    for (const row of rows) {
      const prevDigest = digest;
      seq += 1;
      digest = auditDigest({ ...toAuditRecord(row), seq, prevDigest });
      links.push({ id: row.id, seq, prevDigest, digest });
    }
    for (let i = 0; i < links.length; i += LINKS_PER_STATEMENT) {
      await writeLinks(tx, links.slice(i, i + LINKS_PER_STATEMENT));
    }
    if (rows.length > 0) {
      await tx(AUDIT_HEADS_TABLE)
        .where({ namespace: org })
        .update({ seq, digest });
    }
    return rows.length;
  });
}

/**
 * Seals the org's audit records that are not chained yet: in id order, each gets the next seq,
 * the digest of the record before it and its own digest, and the org's head moves to the last.
 * Appends stay a plain insert — chaining at write time would make every write of an org wait for
 * the one before it to commit — so records are sealed shortly after they commit, by the
 * AuditSealer and by every verification. A record that commits after a later one was sealed gets
 * the next seq: the chain is the order of sealing. Answers how many records it sealed.
 */
export async function sealAuditChain(knex: Knex, org: string): Promise<number> {
  let sealed = 0;
  for (;;) {
    const count = await sealBatch(knex, org);
    sealed += count;
    if (count < BATCH) return sealed;
  }
}

/** The orgs that have records not sealed yet. */
export async function orgsWithUnsealedRecords(knex: Knex): Promise<string[]> {
  const rows = await knex(AUDIT_TABLE).distinct('namespace').whereNull('seq');
  return rows.map(row => row.namespace);
}
