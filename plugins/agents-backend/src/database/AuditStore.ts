import { Knex } from 'knex';

/** One mutation of an agents resource. */
export interface AuditRecord {
  id: string;
  occurredAt: string;
  /** Entity ref of the user or service that made the change. */
  actor: string;
  action: string;
  target: { kind: string; namespace: string; name: string };
  /** sha256 digests of the object before and after; absent for create and delete respectively. */
  beforeDigest?: string;
  afterDigest?: string;
}

export type NewAuditRecord = Omit<AuditRecord, 'id' | 'occurredAt'>;

/** Appends and reads the audit trail of agents resources. */
export interface AuditStore {
  append(record: NewAuditRecord, tx?: Knex.Transaction): Promise<AuditRecord>;
  /** Newest first; `before` is the id of the last record of the previous page. */
  listForTarget(options: {
    target: AuditRecord['target'];
    limit: number;
    before?: string;
  }): Promise<AuditRecord[]>;
}

interface AuditRow {
  id: number | string;
  occurred_at: Date | string;
  actor: string;
  action: string;
  kind: string;
  namespace: string;
  name: string;
  before_digest: string | null;
  after_digest: string | null;
}

const TABLE = 'agents_audit_records';

export class DatabaseAuditStore implements AuditStore {
  constructor(private readonly knex: Knex) {}

  async append(
    record: NewAuditRecord,
    tx?: Knex.Transaction,
  ): Promise<AuditRecord> {
    const row = {
      occurred_at: new Date(),
      actor: record.actor,
      action: record.action,
      kind: record.target.kind,
      namespace: record.target.namespace,
      name: record.target.name,
      before_digest: record.beforeDigest ?? null,
      after_digest: record.afterDigest ?? null,
    };
    const [inserted] = await (tx ?? this.knex)(TABLE)
      .insert(row)
      .returning('id');
    const id = typeof inserted === 'object' ? inserted.id : inserted;
    return toRecord({ ...row, id });
  }

  async listForTarget(options: {
    target: AuditRecord['target'];
    limit: number;
    before?: string;
  }): Promise<AuditRecord[]> {
    const { target, limit, before } = options;
    const query = this.knex<AuditRow>(TABLE)
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
    return (await query).map(toRecord);
  }
}

function toRecord(row: AuditRow): AuditRecord {
  return {
    id: String(row.id),
    occurredAt: new Date(row.occurred_at).toISOString(),
    actor: row.actor,
    action: row.action,
    target: { kind: row.kind, namespace: row.namespace, name: row.name },
    beforeDigest: row.before_digest ?? undefined,
    afterDigest: row.after_digest ?? undefined,
  };
}
