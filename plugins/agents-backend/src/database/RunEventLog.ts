import { RunEvent, RunEventPayload } from '@krate/plugin-agents-common';
import { Knex } from 'knex';
import { EventEmitter } from 'node:events';

const EVENTS = 'agents_run_events';
const LEASES = 'agents_attempt_leases';
/** Rows per INSERT: well under SQLite's bound-variable limit with seven columns. */
const INSERT_CHUNK = 1000;

export interface RunRef {
  namespace: string;
  run: string;
}

/** Events to append, with the seq of the first one (the writer numbers them). */
export interface EventBatch extends RunRef {
  attempt: string;
  firstSeq: number;
  events: { payload: RunEventPayload; time: number }[];
  /** Highest runtime seq among the events, stored on the attempt's lease row atomically. */
  runtimeSeq?: number;
}

interface EventRow {
  seq: string | number;
  attempt: string;
  time: string | number;
  payload: string;
}

/**
 * The append-only event log of runs. Appends come from the one writer that holds the attempt's
 * lease; readers page by seq and are woken by `onAppended` in this process (other instances
 * poll).
 */
export class RunEventLog {
  readonly #knex: Knex;
  readonly #appended = new EventEmitter().setMaxListeners(0);

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  /** Serializes events once; the stored JSON and the live copy are the same text. */
  static serialize(payload: RunEventPayload): string {
    return JSON.stringify(payload);
  }

  async append(batch: EventBatch, serialized?: string[]): Promise<void> {
    const { namespace, run, attempt, firstSeq, events } = batch;
    if (events.length === 0) {
      return;
    }
    const rows = events.map((event, index) => ({
      namespace,
      run,
      seq: firstSeq + index,
      attempt,
      type: event.payload.type,
      time: event.time,
      payload: serialized?.[index] ?? RunEventLog.serialize(event.payload),
    }));
    if (rows.length <= INSERT_CHUNK && batch.runtimeSeq === undefined) {
      // One statement commits on its own; a transaction would add two round trips.
      await insertValues(this.#knex, rows);
    } else {
      await this.#knex.transaction(async tx => {
        for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
          await insertValues(tx, rows.slice(i, i + INSERT_CHUNK));
        }
        if (batch.runtimeSeq !== undefined) {
          await tx(LEASES)
            .where({ namespace, attempt })
            .update({ runtime_seq: batch.runtimeSeq });
        }
      });
    }
    this.#appended.emit(key(batch), firstSeq + events.length - 1);
  }

  async read(
    ref: RunRef,
    options: { sinceSeq: number; limit: number },
  ): Promise<RunEvent[]> {
    const rows: EventRow[] = await this.#knex(EVENTS)
      .select('seq', 'attempt', 'time', 'payload')
      .where({ namespace: ref.namespace, run: ref.run })
      .andWhere('seq', '>', options.sinceSeq)
      .orderBy('seq', 'asc')
      .limit(options.limit);
    return rows.map(row => ({
      ...(JSON.parse(row.payload) as RunEventPayload),
      seq: Number(row.seq),
      attempt: row.attempt,
      time: new Date(Number(row.time)).toISOString(),
    }));
  }

  /** The newest event of one type an attempt logged. */
  async lastOfType<T extends RunEventPayload['type']>(
    ref: RunRef & { attempt: string },
    type: T,
  ): Promise<Extract<RunEventPayload, { type: T }> | undefined> {
    const row = await this.#knex(EVENTS)
      .select('payload')
      .where({
        namespace: ref.namespace,
        run: ref.run,
        attempt: ref.attempt,
        type,
      })
      .orderBy('seq', 'desc')
      .first();
    return row ? JSON.parse(row.payload) : undefined;
  }

  async lastSeq(ref: RunRef): Promise<number> {
    const row = await this.#knex(EVENTS)
      .where({ namespace: ref.namespace, run: ref.run })
      .max({ last: 'seq' })
      .first();
    return Number(row?.last ?? 0);
  }

  /** Calls `listener` with the new last seq after each append to the run in this process. */
  onAppended(ref: RunRef, listener: (lastSeq: number) => void): () => void {
    this.#appended.on(key(ref), listener);
    return () => this.#appended.off(key(ref), listener);
  }
}

const COLUMNS = [
  'namespace',
  'run',
  'seq',
  'attempt',
  'type',
  'time',
  'payload',
] as const;

/**
 * One multi-row `INSERT … VALUES`: knex renders multi-row inserts on SQLite as a compound
 * SELECT, which SQLite caps at 500 terms.
 */
async function insertValues(
  db: Knex | Knex.Transaction,
  rows: Record<(typeof COLUMNS)[number], string | number>[],
) {
  const placeholders = `(${COLUMNS.map(() => '?').join(', ')})`;
  await db.raw(
    `insert into ${EVENTS} (${COLUMNS.join(', ')}) values ${rows
      .map(() => placeholders)
      .join(', ')}`,
    rows.flatMap(row => COLUMNS.map(column => row[column])),
  );
}

function key(ref: RunRef) {
  return `${ref.namespace}/${ref.run}`;
}
