import { Knex } from 'knex';

const LEASES = 'agents_attempt_leases';

export interface AttemptLeaseRow {
  namespace: string;
  attempt: string;
  run: string;
  /** The instance that held the lease last; null while the attempt was never claimed. */
  owner: string | null;
  runtimeSeq: number;
  cancelRequested: boolean;
}

interface Row {
  namespace: string;
  attempt: string;
  run: string;
  owner: string | null;
  expires_at: string | number;
  runtime_seq: string | number;
  cancel_requested: boolean | number;
}

function fromRow(row: Row): AttemptLeaseRow {
  return {
    namespace: row.namespace,
    attempt: row.attempt,
    run: row.run,
    owner: row.owner,
    runtimeSeq: Number(row.runtime_seq),
    cancelRequested: Boolean(row.cancel_requested),
  };
}

/**
 * Leases on attempts that still need a driver. A queued attempt has a row with a lapsed lease;
 * an instance claims it with a conditional update, so two instances on one database never drive
 * the same attempt; the holder renews it; the row goes when the attempt ends.
 */
export class AttemptLeases {
  readonly #knex: Knex;
  readonly owner: string;
  readonly durationMs: number;
  readonly #now: () => number;

  constructor(
    knex: Knex,
    options: { owner: string; durationMs: number; now?: () => number },
  ) {
    this.#knex = knex;
    this.owner = options.owner;
    this.durationMs = options.durationMs;
    this.#now = options.now ?? Date.now;
  }

  /** Makes an attempt claimable; pass the transaction that creates the attempt. */
  async enqueue(
    entry: { namespace: string; attempt: string; run: string },
    tx: Knex | Knex.Transaction = this.#knex,
  ): Promise<void> {
    await tx(LEASES)
      .insert({ ...entry, owner: null, expires_at: 0 })
      .onConflict(['namespace', 'attempt'])
      .ignore();
  }

  /** Attempts whose lease has lapsed: never claimed, or their holder stopped renewing. */
  async claimable(limit: number): Promise<AttemptLeaseRow[]> {
    const rows: Row[] = await this.#knex(LEASES)
      .where('expires_at', '<', this.#now())
      .orderBy('expires_at', 'asc')
      .limit(limit);
    return rows.map(fromRow);
  }

  /**
   * Claims up to `limit` lapsed leases at once; answers the claimed rows, each with the owner it
   * had before. On PostgreSQL one statement, skipping rows another instance is claiming; elsewhere
   * `claimable` and then the claims, all at once.
   */
  async claimNext(limit: number): Promise<AttemptLeaseRow[]> {
    const now = this.#now();
    if (this.#knex.client.config.client !== 'pg') {
      const candidates = await this.claimable(limit);
      const won = await Promise.all(candidates.map(entry => this.claim(entry)));
      return candidates.filter((_, index) => won[index]);
    }
    const { rows } = await this.#knex.raw(
      `update ?? as lease set owner = ?, expires_at = ?
         from (select namespace, attempt, owner from ??
                where expires_at < ? order by expires_at asc limit ?
                for update skip locked) as lapsed
        where lease.namespace = lapsed.namespace and lease.attempt = lapsed.attempt
        returning lease.*, lapsed.owner as previous_owner`,
      [LEASES, this.owner, now + this.durationMs, LEASES, now, limit],
    );
    return rows.map((row: Row & { previous_owner: string | null }) =>
      fromRow({ ...row, owner: row.previous_owner }),
    );
  }

  /** Takes the lease if it is still lapsed; false when another instance was quicker. */
  async claim(entry: { namespace: string; attempt: string }): Promise<boolean> {
    const now = this.#now();
    const updated = await this.#knex(LEASES)
      .where({ namespace: entry.namespace, attempt: entry.attempt })
      .andWhere('expires_at', '<', now)
      .update({ owner: this.owner, expires_at: now + this.durationMs });
    return updated === 1;
  }

  /** Extends a held lease; `held` is false when it was lost (lapsed and taken over, or gone). */
  async renew(entry: {
    namespace: string;
    attempt: string;
  }): Promise<{ held: boolean; cancelRequested: boolean }> {
    const updated = await this.#knex(LEASES)
      .where({
        namespace: entry.namespace,
        attempt: entry.attempt,
        owner: this.owner,
      })
      .update({ expires_at: this.#now() + this.durationMs });
    const row = await this.get(entry);
    return {
      held: updated === 1,
      cancelRequested: row?.cancelRequested ?? false,
    };
  }

  /**
   * Records where the attempt's runtime resumes after a takeover; false when this instance no
   * longer holds the lease (it lapsed and another took it, or the attempt ended).
   */
  async recordRuntimeSeq(
    entry: { namespace: string; attempt: string },
    runtimeSeq: number,
  ): Promise<boolean> {
    const updated = await this.#knex(LEASES)
      .where({
        namespace: entry.namespace,
        attempt: entry.attempt,
        owner: this.owner,
      })
      .update({ runtime_seq: runtimeSeq });
    return updated === 1;
  }

  /** Lets the lease lapse at once, so another instance (or this one, restarted) recovers it. */
  async expireNow(entry: {
    namespace: string;
    attempt: string;
  }): Promise<void> {
    await this.#knex(LEASES)
      .where({
        namespace: entry.namespace,
        attempt: entry.attempt,
        owner: this.owner,
      })
      .update({ expires_at: 0 });
  }

  async release(entry: { namespace: string; attempt: string }): Promise<void> {
    await this.#knex(LEASES)
      .where({ namespace: entry.namespace, attempt: entry.attempt })
      .delete();
  }

  /** Flags a cancel for whichever instance holds the lease; answers the row as it now is. */
  async requestCancel(entry: {
    namespace: string;
    attempt: string;
  }): Promise<{ row?: AttemptLeaseRow; leaseLive: boolean }> {
    await this.#knex(LEASES)
      .where({ namespace: entry.namespace, attempt: entry.attempt })
      .update({ cancel_requested: true });
    const raw: Row | undefined = await this.#knex(LEASES)
      .where({ namespace: entry.namespace, attempt: entry.attempt })
      .first();
    return {
      row: raw ? fromRow(raw) : undefined,
      leaseLive: raw ? Number(raw.expires_at) >= this.#now() : false,
    };
  }

  async get(entry: {
    namespace: string;
    attempt: string;
  }): Promise<AttemptLeaseRow | undefined> {
    const row: Row | undefined = await this.#knex(LEASES)
      .where({ namespace: entry.namespace, attempt: entry.attempt })
      .first();
    return row ? fromRow(row) : undefined;
  }
}
