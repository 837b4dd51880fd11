import {
  AUDIT_GENESIS_DIGEST,
  AuditChainBreak,
  AuditChainVerification,
} from '@krate/plugin-agents-common';
import { Knex } from 'knex';
import { auditDigest } from './auditDigest';
import {
  AUDIT_HEADS_TABLE,
  AUDIT_TABLE,
  AuditHeadRow,
  AuditRow,
  toAuditRecord,
} from './auditRows';

const PAGE_SIZE = 1000;

/**
 * Walks an org's audit records in seq order, a page at a time, checking that seq counts up from 1,
 * that each record links to the digest of the one before and that its fields hash to its digest;
 * then that the chain head names the last record. No transaction: appends carry on meanwhile, so
 * the walk stops at the head read first, and what lies beyond is judged against the head read last.
 */
export async function verifyAuditChain(
  knex: Knex,
  org: string,
  pageSize = PAGE_SIZE,
): Promise<AuditChainVerification> {
  const broken = (brokenAt: AuditChainBreak): AuditChainVerification => ({
    org,
    ok: false,
    brokenAt,
  });
  const start = await readHead(knex, org);
  let seq = 0;
  let digest = AUDIT_GENESIS_DIGEST;
  while (seq < start.seq) {
    const rows: AuditRow[] = await knex<AuditRow>(AUDIT_TABLE)
      .where({ namespace: org })
      .where('seq', '>', seq)
      .where('seq', '<=', start.seq)
      .orderBy('seq')
      .limit(pageSize);
    if (rows.length === 0) {
      return broken({
        seq: seq + 1,
        reason: 'missing-record',
        message: `The chain head names seq ${start.seq} but the records end at seq ${seq}: records were deleted`,
      });
    }
    for (const row of rows) {
      const record = toAuditRecord(row);
      if (record.seq !== seq + 1) {
        return broken({
          seq: seq + 1,
          reason: 'missing-record',
          message: `No record has seq ${seq + 1} (the next is seq ${
            record.seq
          }, id ${record.id}): a record was deleted`,
        });
      }
      seq = Number(record.seq);
      if (record.prevDigest !== digest) {
        return broken({
          seq,
          id: record.id,
          reason: 'link-mismatch',
          message: `Record ${record.id} at seq ${seq} does not link to the record before it: a record before it was replaced, deleted or inserted`,
        });
      }
      if (
        auditDigest({ ...record, seq, prevDigest: digest }) !== record.digest
      ) {
        return broken({
          seq,
          id: record.id,
          reason: 'digest-mismatch',
          message: `Record ${record.id} at seq ${seq} does not match its digest: the record was edited`,
        });
      }
      digest = record.digest;
    }
  }
  if (digest !== start.digest) {
    return broken({
      seq,
      reason: 'head-mismatch',
      message: `The chain head's digest is not the digest of the record at seq ${seq}: the head or the chain was rewritten`,
    });
  }

  // Appended after the walk began, each record commits together with its head move; a record past
  // the head as read after it can only have been written around the chain.
  const last = await knex<AuditRow>(AUDIT_TABLE)
    .where({ namespace: org })
    .where('seq', '>', start.seq)
    .orderBy('seq', 'desc')
    .first('id', 'seq');
  if (last) {
    const now = await readHead(knex, org);
    if (Number(last.seq) > now.seq) {
      return broken({
        seq: Number(last.seq),
        id: String(last.id),
        reason: 'head-mismatch',
        message: `Record ${last.id} at seq ${last.seq} lies beyond the chain head (seq ${now.seq}): it was written around the chain, or the head was reset`,
      });
    }
  }
  return {
    org,
    ok: true,
    records: start.seq,
    ...(start.seq > 0
      ? { head: { seq: start.seq, digest: start.digest } }
      : {}),
  };
}

async function readHead(knex: Knex, org: string) {
  const row = await knex<AuditHeadRow>(AUDIT_HEADS_TABLE)
    .where({ namespace: org })
    .first();
  return row
    ? { seq: Number(row.seq), digest: row.digest }
    : { seq: 0, digest: AUDIT_GENESIS_DIGEST };
}
