import { LoggedEvent } from './gatewayTypes';

/**
 * The stored events of one run, with the real gateway's cap: above `maxEvents` the oldest 10 %
 * (of the cap) are dropped and an `events_truncated` notification is appended. As observed on
 * Agent Mux, once a run has been truncated every later append drops another 10 %.
 */
export class RunEventStore {
  #events: LoggedEvent[] = [];
  #lastSeq = 0;
  #truncated = false;
  /** Every event ever appended, truncated or not: what a test compares the client against. */
  readonly history: LoggedEvent[] = [];
  readonly #maxEvents: number;

  constructor(maxEvents: number) {
    this.#maxEvents = maxEvents;
  }

  /** Seq of the newest event; 0 when there is none. */
  get tailSeq(): number {
    return this.#lastSeq;
  }

  /** Seq of the oldest retained event. */
  get headSeq(): number {
    return this.#events[0]?.seq ?? this.#lastSeq + 1;
  }

  /** Appends an event; answers it and, when the cap was hit, the truncation notification. */
  append(
    source: LoggedEvent['source'],
    event: Record<string, unknown>,
  ): LoggedEvent[] {
    const logged = this.#push(source, event);
    if (!this.#truncated && this.#events.length <= this.#maxEvents) {
      return [logged];
    }
    this.#truncated = true;
    const dropCount = Math.max(1, Math.ceil(this.#maxEvents * 0.1));
    const dropped = this.#events.splice(0, dropCount);
    const notification = this.#push('gateway', {
      type: 'gateway.notification',
      code: 'events_truncated',
      droppedCount: dropped.length,
      headSeq: this.headSeq,
      tailSeq: this.#lastSeq,
    });
    return [logged, notification];
  }

  /** Seqs that are assigned to nothing, as when events vanish between seq and storage. */
  skip(count: number): void {
    this.#lastSeq += count;
  }

  readSince(sinceSeq: number): LoggedEvent[] {
    return this.#events.filter(e => e.seq > sinceSeq);
  }

  #push(source: LoggedEvent['source'], event: Record<string, unknown>) {
    this.#lastSeq += 1;
    const logged: LoggedEvent = {
      seq: this.#lastSeq,
      ts: Date.now(),
      source,
      event,
    };
    this.#events.push(logged);
    this.history.push(logged);
    return logged;
  }
}
