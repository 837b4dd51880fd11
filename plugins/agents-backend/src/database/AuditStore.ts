import {
  AuditChainVerification,
  AuditRecord,
} from '@krate/plugin-agents-common';
import { Knex } from 'knex';
import { AUDIT_TABLE, AuditRow, toAuditRecord } from './auditRows';
import { orgsWithUnsealedRecords, sealAuditChain } from './sealAuditChain';
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
  /** The insert that append runs, unexecuted, for a writer that folds it into its own statement. */
  insertQuery(
    record: NewAuditRecord,
    db: Knex | Knex.Transaction,
  ): Knex.QueryBuilder;
  /** Newest first; `before` is the id of the last record of the previous page. */
  listForTarget(options: {
    target: AuditRecord['target'];
    limit: number;
    before?: string;
  }): Promise<AuditRecord[]>;
  /** Seals the org's records, then walks its chain from the first and reports the first break. */
  verify(org: string): Promise<AuditChainVerification>;
}

export class DatabaseAuditStore implements AuditStore {
  constructor(private readonly knex: Knex) {}

  /** A plain insert, so writes of one org do not wait for each other; sealed into the chain later. */
  async append(
    record: NewAuditRecord,
    tx?: Knex.Transaction,
  ): Promise<AuditRecord> {
    const occurredAt = new Date();
    const [inserted] = await this.#insert(
      record,
      tx ?? this.knex,
      occurredAt,
    ).returning('id');
    const id = typeof inserted === 'object' ? inserted.id : inserted;
    return { ...record, id: String(id), occurredAt: occurredAt.toISOString() };
  }

  insertQuery(
    record: NewAuditRecord,
    db: Knex | Knex.Transaction,
  ): Knex.QueryBuilder {
    return this.#insert(record, db, new Date());
  }

  #insert(
    record: NewAuditRecord,
    db: Knex | Knex.Transaction,
    occurredAt: Date,
  ) {
    return db(AUDIT_TABLE).insert({
      namespace: record.target.namespace,
      occurred_at: occurredAt,
      actor: record.actor,
      action: record.action,
      kind: record.target.kind,
      name: record.target.name,
      before_digest: record.beforeDigest ?? null,
      after_digest: record.afterDigest ?? null,
    });
  }

  /** Chains the org's records that are not sealed yet; answers how many. */
  seal(org: string): Promise<number> {
    return sealAuditChain(this.knex, org);
  }

  /** Seals the records of every org; answers how many. */
  async sealAll(): Promise<number> {
    let sealed = 0;
    for (const org of await orgsWithUnsealedRecords(this.knex)) {
      sealed += await this.seal(org);
    }
    return sealed;
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

  async verify(org: string): Promise<AuditChainVerification> {
    await this.seal(org);
    return verifyAuditChain(this.knex, org);
  }
}
