import { AuditRecord } from '@krate/plugin-agents-common';

export const AUDIT_TABLE = 'agents_audit_records';
/** One row per org: the seq and digest of its last audit record. */
export const AUDIT_HEADS_TABLE = 'agents_audit_chain_heads';

export interface AuditRow {
  id: number | string;
  namespace: string;
  seq: number | string | null;
  occurred_at: Date | string | number;
  actor: string;
  action: string;
  kind: string;
  name: string;
  before_digest: string | null;
  after_digest: string | null;
  prev_digest: string | null;
  digest: string | null;
}

export interface AuditHeadRow {
  namespace: string;
  seq: number | string;
  digest: string;
}

export function toAuditRecord(row: AuditRow): AuditRecord {
  return {
    id: String(row.id),
    seq: row.seq === null ? undefined : Number(row.seq),
    occurredAt: new Date(row.occurred_at).toISOString(),
    actor: row.actor,
    action: row.action,
    target: { kind: row.kind, namespace: row.namespace, name: row.name },
    beforeDigest: row.before_digest ?? undefined,
    afterDigest: row.after_digest ?? undefined,
    prevDigest: row.prev_digest ?? undefined,
    digest: row.digest ?? undefined,
  };
}
