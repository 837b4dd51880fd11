import { Knex } from 'knex';
import { setTimeout as sleep } from 'node:timers/promises';
import { ResourceVersions } from './ResourceVersions';

const SEQUENCE = 'agents_resource_version_seq';
/** How long one horizon read waits for the writers it saw in flight before answering the last one. */
const SETTLE_MS = 250;
const RECHECK_MS = 2;

/** Takes the next version; offset 0 keeps the transaction id, taken first, evaluated before nextval. */
export const NEXT_VERSION_QUERY = {
  sql: `select nextval(?::regclass) as value from (select txid_current() offset 0) as xact`,
  bindings: [SEQUENCE],
};

interface Candidate {
  /** The last version handed out when the candidate was taken. */
  last: number;
  /** Transactions (epoch-qualified ids) that were in flight just after. */
  inFlight: string[];
}

/**
 * Versions from a PostgreSQL sequence: no lock, so replicas write in parallel, and versions may
 * commit out of order. The horizon is how readers stay correct anyway.
 *
 * A writer takes its transaction id before its version. The horizon reads the sequence's last
 * value L, then, in a later statement, the transactions in flight. Any writer holding a version
 * ≤ L had its id before L was read, so by then it has either ended or is in that list; once every
 * transaction on the list has ended, every version ≤ L has committed or rolled back, and L is safe.
 * Transactions of other databases on the server (as far as pg_stat_activity shows them) are left
 * out of the list; one it does not show is waited for, which is only slower, never wrong.
 */
export class SequenceResourceVersions implements ResourceVersions {
  readonly #knex: Knex;
  #safe = 0;
  #pending?: Candidate;
  #running?: Promise<number>;
  #queued?: Promise<number>;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  async next(tx: Knex.Transaction): Promise<number> {
    const { rows } = await tx.raw(
      NEXT_VERSION_QUERY.sql,
      NEXT_VERSION_QUERY.bindings,
    );
    return Number(rows[0].value);
  }

  /**
   * Readers that arrive while a horizon is being read wait for the next one, which starts after
   * they arrived and so covers every write they could have heard of.
   */
  horizon(): Promise<number> {
    if (!this.#running) {
      this.#running = this.#read().finally(() => {
        this.#running = undefined;
      });
      return this.#running;
    }
    this.#queued ??= this.#running
      .catch(() => undefined)
      .then(() => {
        this.#queued = undefined;
        return this.horizon();
      });
    return this.#queued;
  }

  async #read(): Promise<number> {
    if (
      this.#pending &&
      (await this.#stillInFlight(this.#pending)).length === 0
    ) {
      this.#advance(this.#pending.last);
    }
    const candidate = await this.#candidate();
    const deadline = Date.now() + SETTLE_MS;
    let inFlight = candidate.inFlight;
    while (inFlight.length > 0) {
      if (Date.now() >= deadline) {
        // A long transaction: answer what is known safe and look at this one again next time.
        this.#pending ??= { last: candidate.last, inFlight };
        return this.#safe;
      }
      await sleep(RECHECK_MS);
      inFlight = await this.#stillInFlight({ ...candidate, inFlight });
    }
    this.#advance(candidate.last);
    return this.#safe;
  }

  #advance(last: number) {
    this.#safe = Math.max(this.#safe, last);
    if (this.#pending && this.#pending.last <= this.#safe) {
      this.#pending = undefined;
    }
  }

  async latest(): Promise<number> {
    const sequence = await this.#knex.raw(
      `select last_value, is_called from ??`,
      [SEQUENCE],
    );
    const { last_value: lastValue, is_called: called } = sequence.rows[0];
    return called ? Number(lastValue) : Number(lastValue) - 1;
  }

  async #candidate(): Promise<Candidate> {
    const last = await this.latest();
    const snapshot = await this.#knex.raw(
      `select xip::text as xid
         from txid_snapshot_xip(txid_current_snapshot()) as xip
        where (xip % 4294967296)::text not in (
          select backend_xid::text from pg_stat_activity
           where backend_xid is not null and datname is distinct from current_database())`,
    );
    return {
      last,
      inFlight: snapshot.rows.map((row: { xid: string }) => row.xid),
    };
  }

  async #stillInFlight(candidate: Candidate): Promise<string[]> {
    if (candidate.inFlight.length === 0) {
      return [];
    }
    const { rows } = await this.#knex.raw(
      `select xid::text as xid from unnest(?::bigint[]) as xid
        where txid_status(xid) = 'in progress'`,
      [candidate.inFlight],
    );
    return rows.map((row: { xid: string }) => row.xid);
  }
}
