import { RunEventPayload, RunEventUsage } from '@krate/plugin-agents-common';
import { RunEventLog } from '../database/RunEventLog';
import { Redactor } from './Redactor';

/** The database's complaint without the statement, which can be megabytes long. */
function describe(error: unknown) {
  const message = String((error as Error)?.message ?? error);
  const cut = message.lastIndexOf(' - ');
  return (cut >= 0 ? message.slice(cut + 3) : message).slice(0, 300);
}

/** Events per transaction: big enough to amortize a commit, small enough to stream smoothly. */
const MAX_BATCH = 2000;
const APPEND_RETRIES = 3;

export interface AttemptEventWriterOptions {
  log: RunEventLog;
  redactor: Redactor;
  namespace: string;
  run: string;
  attempt: string;
  /** The seq the next event gets: one past the run's last stored seq. */
  nextSeq: number;
  /** Called after each append with the cost the appended events added. */
  onCost?: (delta: Required<RunEventUsage>) => void;
  now?: () => number;
}

/**
 * Numbers an attempt's events and appends them in batches: while one append is in flight, new
 * events gather for the next, so a fast runtime costs one transaction per batch rather than per
 * event. Secret values are redacted before anything is stored or streamed.
 */
export class AttemptEventWriter {
  readonly #options: AttemptEventWriterOptions;
  readonly #now: () => number;
  #buffer: { payload: RunEventPayload; time: number; runtimeSeq?: number }[] =
    [];
  #nextSeq: number;
  #flushing?: Promise<void>;
  #failure?: Error;
  #closed = false;

  constructor(options: AttemptEventWriterOptions) {
    this.#options = options;
    this.#nextSeq = options.nextSeq;
    this.#now = options.now ?? Date.now;
  }

  get lastSeq() {
    return this.#nextSeq - 1;
  }

  push(payload: RunEventPayload, runtimeSeq?: number) {
    if (this.#closed) {
      return;
    }
    if (this.#failure) {
      throw this.#failure;
    }
    this.#buffer.push({ payload, time: this.#now(), runtimeSeq });
    if (!this.#flushing) {
      this.#flushing = new Promise<void>(resolve => setImmediate(resolve))
        .then(() => this.#flushAll())
        .finally(() => {
          this.#flushing = undefined;
        });
    }
  }

  /**
   * Takes no more events (what was pushed is still stored): the attempt has ended, and anything
   * its runtime or a gate still reports would land after its terminal phase or inside the next
   * attempt's seq range.
   */
  close() {
    this.#closed = true;
  }

  /** Resolves when every pushed event is stored; rejects if storing failed for good. */
  async drain(): Promise<void> {
    while (this.#flushing) {
      await this.#flushing;
    }
    if (this.#failure) {
      throw this.#failure;
    }
  }

  async #flushAll() {
    while (this.#buffer.length > 0 && !this.#failure) {
      const batch = this.#buffer.splice(0, MAX_BATCH);
      await this.#append(batch);
    }
  }

  async #append(
    batch: { payload: RunEventPayload; time: number; runtimeSeq?: number }[],
  ) {
    const { log, redactor, namespace, run, attempt } = this.#options;
    const serialized: string[] = [];
    const events = batch.map(event => {
      const text = RunEventLog.serialize(event.payload);
      const redacted = redactor.redact(text);
      serialized.push(redacted.text);
      return {
        payload:
          redacted.count > 0
            ? (JSON.parse(redacted.text) as RunEventPayload)
            : event.payload,
        time: event.time,
      };
    });
    const runtimeSeqs = batch
      .map(event => event.runtimeSeq)
      .filter((seq): seq is number => seq !== undefined);
    const firstSeq = this.#nextSeq;
    for (let attemptNo = 1; ; attemptNo++) {
      try {
        await log.append(
          {
            namespace,
            run,
            attempt,
            firstSeq,
            events,
            runtimeSeq: runtimeSeqs.length
              ? Math.max(...runtimeSeqs)
              : undefined,
          },
          serialized,
        );
        break;
      } catch (error) {
        if (attemptNo >= APPEND_RETRIES) {
          this.#failure = new Error(
            `Could not store events ${firstSeq}–${
              firstSeq + events.length - 1
            } of ${namespace}/${run}: ${describe(error)}`,
          );
          return;
        }
        await new Promise(resolve => setTimeout(resolve, 100 * attemptNo));
      }
    }
    this.#nextSeq += events.length;
    this.#reportCost(events.map(e => e.payload));
  }

  #reportCost(payloads: RunEventPayload[]) {
    const delta = { usd: 0, inputTokens: 0, outputTokens: 0 };
    let seen = false;
    for (const payload of payloads) {
      if (payload.type === 'cost') {
        seen = true;
        delta.usd += payload.usd ?? 0;
        delta.inputTokens += payload.inputTokens ?? 0;
        delta.outputTokens += payload.outputTokens ?? 0;
      }
    }
    if (seen) {
      this.#options.onCost?.(delta);
    }
  }
}
