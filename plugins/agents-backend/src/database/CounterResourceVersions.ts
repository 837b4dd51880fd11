import { Knex } from 'knex';
import { ResourceVersions } from './ResourceVersions';

const COUNTERS = 'agents_counters';

/**
 * Versions from the agents_counters row (SQLite). The row stays locked from the increment to the
 * commit, so versions commit in order and the committed value is the horizon. SQLite has one
 * writer at a time anyway; on PostgreSQL the lock would serialize every replica's writes.
 */
export class CounterResourceVersions implements ResourceVersions {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  async next(tx: Knex.Transaction): Promise<number> {
    await tx(COUNTERS).where({ name: 'resourceVersion' }).increment('value', 1);
    return this.#read(tx);
  }

  horizon(): Promise<number> {
    return this.#read(this.#knex);
  }

  /** Versions commit in order here: the last one handed out is the horizon. */
  latest(): Promise<number> {
    return this.#read(this.#knex);
  }

  async #read(db: Knex | Knex.Transaction): Promise<number> {
    const row = await db(COUNTERS)
      .where({ name: 'resourceVersion' })
      .first('value');
    return Number(row.value);
  }
}
