/**
 * One audit record: a mutation of an agents resource (or a write-back), as `GET /audit` answers.
 * Records of one org (namespace) form a hash chain: `seq` counts them from 1 without gaps and
 * `digest` covers the record's fields and `prevDigest`, the digest of the record before it. A
 * record is sealed into the chain shortly after it is written; until then the three are absent.
 * @public
 */
export interface AuditRecord {
  id: string;
  /** Position in its org's chain, 1, 2, 3 … (absent until sealed) */
  seq?: number;
  occurredAt: string;
  /** Entity ref of the user or `service:<subject>` that made the change. */
  actor: string;
  action: string;
  target: { kind: string; namespace: string; name: string };
  /** sha256 digests of the object before and after; absent for create and delete respectively. */
  beforeDigest?: string;
  afterDigest?: string;
  /** The digest of the org's previous record, or {@link AUDIT_GENESIS_DIGEST} for the first. */
  prevDigest?: string;
  digest?: string;
}

/** The `prevDigest` of the first record of every org's chain. @public */
export const AUDIT_GENESIS_DIGEST = `sha256:${'0'.repeat(64)}`;

/**
 * What is wrong where an org's audit chain breaks:
 * - `digest-mismatch`: the record's fields no longer hash to its digest (the record was edited);
 * - `link-mismatch`: the record does not link to the digest of the record before it (that one was
 *   replaced, or a record was deleted or inserted and the rest rewritten);
 * - `missing-record`: no record has this seq (a record was deleted);
 * - `head-mismatch`: the org's chain head disagrees with its records (records were added or
 *   removed at the end, or the head was changed).
 * @public
 */
export type AuditChainBreakReason =
  | 'digest-mismatch'
  | 'link-mismatch'
  | 'missing-record'
  | 'head-mismatch';

/** The first place an org's audit chain fails verification. @public */
export interface AuditChainBreak {
  seq: number;
  /** The record at `seq`; absent when there is none. */
  id?: string;
  reason: AuditChainBreakReason;
  /** The same, for people. */
  message: string;
}

/** The last link of an org's chain: pin it elsewhere to detect a rewrite of the whole chain. @public */
export interface AuditChainHead {
  seq: number;
  digest: string;
}

/** Body of `GET /api/agents/audit/verify?org=`. @public */
export type AuditChainVerification =
  | { org: string; ok: true; records: number; head?: AuditChainHead }
  | { org: string; ok: false; brokenAt: AuditChainBreak };
