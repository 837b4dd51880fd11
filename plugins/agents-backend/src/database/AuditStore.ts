import {
  AUDIT_GENESIS_DIGEST,
  AuditChainVerification,
  AuditRecord,
} from '@krate/plugin-agents-common';
import { Knex } from 'knex';
import { auditDigest, ChainedFields } from './auditDigest';
import {
  AUDIT_HEADS_TABLE,
  AUDIT_TABLE,
  AuditHeadRow,
  AuditRow,
  toAuditRecord,
} from './auditRows';
import { verifyAuditChain } from './verifyAuditChain';

export type { AuditRecord };

export type NewAuditRecord = Pick<
  AuditRecord,
  'actor' | 'action' | 'target' | 'beforeDigest' | 'afterDigest'
>;

/** Appends, reads and verifies the audit trail of agents resources: one hash chain per org. */
export interface AuditStore {
  /** Within `tx` when given, so the record commits (or not) with the change it records. */
  append(record: NewAuditRecord, tx?: Knex.Transaction): Promise<AuditRecord>;
  /** Newest first; `before` is the id of the last record of the previous page. */
  listForTarget(options: {
    target: AuditRecord['target'];
    limit: number;
    before?: string;
  }): Promise<AuditRecord[]>;
  /** Walks the org's chain from its first record and reports the first break. */
  verify(org: string): Promise<AuditChainVerification>;
}

export class DatabaseAuditStore implements AuditStore {
  constructor(private readonly knex: Knex) {}

  async append(
    record: NewAuditRecord,
    tx?: Knex.Transaction,
  ): Promise<AuditRecord> {
    if (!tx) {
      return this.knex.transaction(own => this.#appendIn(own, record));
    }
    return this.#appendIn(tx, record);
  }

  async #appendIn(
    tx: Knex.Transaction,
    record: NewAuditRecord,
  ): Promise<AuditRecord> {
    const org = record.target.namespace;
    const { seq, prevDigest } = await this.#takeNextPosition(tx, org);
    const occurredAt = new Date();
    const fields: ChainedFields = {
      ...record,
      seq,
      occurredAt: occurredAt.toISOString(),
      prevDigest,
    };
    const digest = auditDigest(fields);
    const [inserted] = await tx(AUDIT_TABLE)
      .insert({
        namespace: org,
        seq,
        occurred_at: occurredAt,
        actor: record.actor,
        action: record.action,
        kind: record.target.kind,
        name: record.target.name,
        before_digest: record.beforeDigest ?? null,
        after_digest: record.afterDigest ?? null,
        prev_digest: prevDigest,
        digest,
      })
      .returning('id');
    await tx(AUDIT_HEADS_TABLE).where({ namespace: org }).update({ digest });
    const id = typeof inserted === 'object' ? inserted.id : inserted;
    return { ...fields, id: String(id), digest };
  }

  /**
   * Moves the org's head one seq on and answers the digest it held. The update locks the head row
   * until the transaction ends, so appends to one org from several replicas take turns.
   */
  async #takeNextPosition(
    tx: Knex.Transaction,
    org: string,
  ): Promise<{ seq: number; prevDigest: string }> {
    const [head] = await tx<AuditHeadRow>(AUDIT_HEADS_TABLE)
      .where({ namespace: org })
      .increment('seq', 1)
      .returning(['seq', 'digest']);
    if (head) {
      return { seq: Number(head.seq), prevDigest: head.digest };
    }
    // A concurrent first append may insert the head too: then ours is ignored and both proceed
    // to the update above, one after the other.
    await tx(AUDIT_HEADS_TABLE)
      .insert({ namespace: org, seq: 0, digest: AUDIT_GENESIS_DIGEST })
      .onConflict('namespace')
      .ignore();
    return this.#takeNextPosition(tx, org);
  }

  async listForTarget(options: {
    target: AuditRecord['target'];
    limit: number;
    before?: string;
  }): Promise<AuditRecord[]> {
    const { target, limit, before } = options;
    const query = this.knex<AuditRow>(AUDIT_TABLE)
      .where({
        kind: target.kind,
        namespace: target.namespace,
        name: target.name,
      })
      .orderBy('id', 'desc')
      .limit(limit);
    if (before !== undefined) {
      query.where('id', '<', before);
    }
    return (await query).map(toAuditRecord);
  }

  verify(org: string): Promise<AuditChainVerification> {
    return verifyAuditChain(this.knex, org);
  }
}
