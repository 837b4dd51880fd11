import { AuditRecord } from '@krate/plugin-agents-common';
import { createHash } from 'node:crypto';

/** The fields a record's digest covers: all but its database id and its own digest. */
export type ChainedFields = Omit<
  AuditRecord,
  'id' | 'digest' | 'seq' | 'prevDigest'
> & { seq: number; prevDigest: string };

/**
 * `sha256:<hex>` of the record's canonical serialization: a JSON array in a fixed order, so no
 * field can bleed into another and no key order or whitespace choice changes it. A change here
 * breaks every sealed chain: give it a new version tag and keep the old one for old records.
 */
export function auditDigest(fields: ChainedFields): string {
  const canonical = JSON.stringify([
    'agents-audit/v1',
    fields.seq,
    fields.occurredAt,
    fields.actor,
    fields.action,
    fields.target.kind,
    fields.target.namespace,
    fields.target.name,
    fields.beforeDigest ?? null,
    fields.afterDigest ?? null,
    fields.prevDigest,
  ]);
  return `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}
