import {
  WriteBackRecord,
  WriteBackResult,
  WriteBackState,
} from '@krate/plugin-agents-common';
import { Knex } from 'knex';

const TABLE = 'agents_write_backs';

interface Row {
  key: string;
  namespace: string;
  artifact: string;
  run: string;
  digest: string;
  target: string;
  operation: string;
  state: string;
  approval: string | null;
  requested_by: string;
  results: string | null;
  message: string | null;
  owner: string | null;
  lease_until: string | number;
  not_before: string | number;
  tries: number;
  created_at: string | number;
  updated_at: string | number;
}

function fromRow(row: Row): WriteBackRecord & { tries: number } {
  return {
    key: row.key,
    namespace: row.namespace,
    artifact: row.artifact,
    run: row.run,
    digest: row.digest,
    target: row.target,
    operation: JSON.parse(row.operation),
    state: row.state as WriteBackState,
    ...(row.approval ? { approval: row.approval } : {}),
    requestedBy: row.requested_by,
    ...(row.results ? { results: JSON.parse(row.results) } : {}),
    ...(row.message ? { message: row.message } : {}),
    tries: Number(row.tries),
    createdAt: new Date(Number(row.created_at)).toISOString(),
    updatedAt: new Date(Number(row.updated_at)).toISOString(),
  };
}

/** A write-back as the ledger keeps it. */
export type LedgerEntry = ReturnType<typeof fromRow>;

/** What a new write-back row holds. */
export type NewWriteBack = Pick<
  WriteBackRecord,
  | 'key'
  | 'namespace'
  | 'artifact'
  | 'run'
  | 'digest'
  | 'target'
  | 'operation'
  | 'state'
  | 'requestedBy'
>;

/**
 * The write-back operations, one row per exactly-once key. An instance applies a row only while
 * it holds the row's lease (taken with a conditional update), and a row that reached `applied`
 * is never applied again: that is what keeps a retry, a second click, a second replica or a
 * restart from writing twice (with the targets' reconcile-before-write for a crash in between).
 */
export class WriteBackLedger {
  readonly #knex: Knex;
  readonly #now: () => number;

  constructor(knex: Knex, options: { now?: () => number } = {}) {
    this.#knex = knex;
    this.#now = options.now ?? Date.now;
  }

  /** Inserts the row unless the key exists; answers the row as it is now and whether it is new. */
  async insert(
    entry: NewWriteBack,
  ): Promise<{ entry: LedgerEntry; created: boolean }> {
    const now = this.#now();
    const inserted = await this.#knex(TABLE)
      .insert({
        key: entry.key,
        namespace: entry.namespace,
        artifact: entry.artifact,
        run: entry.run,
        digest: entry.digest,
        target: entry.target,
        operation: JSON.stringify(entry.operation),
        state: entry.state,
        requested_by: entry.requestedBy,
        created_at: now,
        updated_at: now,
      })
      .onConflict(['key'])
      .ignore()
      .returning('key');
    const row = await this.get(entry.key);
    return { entry: row!, created: inserted.length > 0 };
  }

  async get(key: string): Promise<LedgerEntry | undefined> {
    const row = await this.#knex(TABLE).where({ key }).first();
    return row ? fromRow(row) : undefined;
  }

  async forArtifact(namespace: string, artifact: string) {
    const rows: Row[] = await this.#knex(TABLE)
      .where({ namespace, artifact })
      .orderBy('created_at', 'asc');
    return rows.map(fromRow);
  }

  async forApproval(namespace: string, approval: string) {
    const row = await this.#knex(TABLE).where({ namespace, approval }).first();
    return row ? fromRow(row) : undefined;
  }

  /** Moves a row from one of `from` to `to`; false when it was in another state. */
  async transition(
    key: string,
    from: WriteBackState[],
    to: WriteBackState,
    fields: {
      approval?: string;
      message?: string;
      results?: WriteBackResult[];
      notBefore?: number;
      releaseLease?: boolean;
    } = {},
  ): Promise<boolean> {
    const updated = await this.#knex(TABLE)
      .where({ key })
      .whereIn('state', from)
      .update({
        state: to,
        updated_at: this.#now(),
        ...(fields.approval !== undefined ? { approval: fields.approval } : {}),
        ...(fields.message !== undefined ? { message: fields.message } : {}),
        ...(fields.results !== undefined
          ? { results: JSON.stringify(fields.results) }
          : {}),
        ...(fields.notBefore !== undefined
          ? { not_before: fields.notBefore }
          : {}),
        ...(fields.releaseLease ? { owner: null, lease_until: 0 } : {}),
      });
    return updated > 0;
  }

  /**
   * The applied write-backs that opened or updated pull request `number` of the org, newest
   * first (their artifacts tell the repository).
   */
  async pullRequestWrites(namespace: string, number: number) {
    const rows: Row[] = await this.#knex(TABLE)
      .where({ namespace, state: 'applied' })
      .andWhere('operation', 'like', '%"pull-request"%')
      .orderBy('updated_at', 'desc')
      .limit(200);
    return rows
      .map(fromRow)
      .filter(entry =>
        (entry.results ?? []).some(
          result =>
            result.operation === 'pull-request' &&
            result.ref === String(number),
        ),
      );
  }

  /** Rows waiting on their approval, to follow its decision. */
  async awaiting(limit: number): Promise<LedgerEntry[]> {
    const rows: Row[] = await this.#knex(TABLE)
      .where({ state: 'awaiting-approval' })
      .orderBy('updated_at', 'asc')
      .limit(limit);
    return rows.map(fromRow);
  }

  /** Rows an instance may apply now: approved, or applying with a lapsed lease (a crashed holder). */
  async due(limit: number): Promise<LedgerEntry[]> {
    const now = this.#now();
    const rows: Row[] = await this.#knex(TABLE)
      .where(q =>
        q
          .where({ state: 'approved' })
          .orWhere(q2 =>
            q2.where({ state: 'applying' }).andWhere('lease_until', '<', now),
          ),
      )
      .andWhere('not_before', '<=', now)
      .orderBy('updated_at', 'asc')
      .limit(limit);
    return rows.map(fromRow);
  }

  /**
   * Takes the row for `owner` for `durationMs` and marks it applying, if it is approved or
   * applying with a lapsed lease; false when another instance holds it or it is done.
   */
  async claim(key: string, owner: string, durationMs: number) {
    const now = this.#now();
    const updated = await this.#knex(TABLE)
      .where({ key })
      .andWhere(q =>
        q
          .where({ state: 'approved' })
          .orWhere(q2 =>
            q2.where({ state: 'applying' }).andWhere('lease_until', '<', now),
          ),
      )
      .update({
        state: 'applying',
        owner,
        lease_until: now + durationMs,
        tries: this.#knex.raw('tries + 1'),
        updated_at: now,
      });
    return updated > 0;
  }

  /** Ends `owner`'s hold with a final or retry state; false when the lease was lost meanwhile. */
  async finish(
    key: string,
    owner: string,
    to: WriteBackState,
    fields: {
      message?: string;
      results?: WriteBackResult[];
      notBefore?: number;
    },
  ) {
    const updated = await this.#knex(TABLE)
      .where({ key, owner, state: 'applying' })
      .update({
        state: to,
        owner: null,
        lease_until: 0,
        updated_at: this.#now(),
        ...(fields.message !== undefined ? { message: fields.message } : {}),
        ...(fields.results !== undefined
          ? { results: JSON.stringify(fields.results) }
          : {}),
        ...(fields.notBefore !== undefined
          ? { not_before: fields.notBefore }
          : {}),
      });
    return updated > 0;
  }
}
