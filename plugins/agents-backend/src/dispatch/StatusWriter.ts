import { LoggerService } from '@backstage/backend-plugin-api';
import { ResourceStore } from '../resources/ResourceStore';
import { keepTerminalPhase } from './keepTerminalPhase';
import { patchStatus } from './patchStatus';

type Change = (status: Record<string, any>) => Record<string, any>;

interface Pending {
  ref: { kind: string; namespace: string; name: string };
  changes: Change[];
  done: Promise<void>;
  resolve: () => void;
}

/**
 * Writes the status changes of an attempt's objects one at a time, merging the changes that
 * pile up for an object while a write is in flight into one write: a runtime that binds its
 * session, reports cost and changes phase in quick succession costs a few writes, not one each.
 * No change takes an object out of a terminal phase (see keepTerminalPhase), and once the
 * attempt has ended and the writer is closed, nothing more is written.
 */
export class StatusWriter {
  readonly #pending = new Map<string, Pending>();
  #draining?: Promise<void>;
  #running = false;
  #closed = false;

  constructor(
    private readonly store: ResourceStore,
    private readonly actor: string,
    private readonly logger: LoggerService,
  ) {}

  /** Queues a change; resolves once it is written (or its write failed and was logged). */
  update(ref: Pending['ref'], change: Change): Promise<void> {
    if (this.#closed) {
      return Promise.resolve();
    }
    const key = `${ref.kind}/${ref.namespace}/${ref.name}`;
    let entry = this.#pending.get(key);
    if (!entry) {
      let resolve!: () => void;
      const done = new Promise<void>(r => (resolve = r));
      entry = { ref, changes: [], done, resolve };
      this.#pending.set(key, entry);
    }
    entry.changes.push(change);
    if (!this.#running) {
      this.#running = true;
      this.#draining = this.#drain();
    }
    return entry.done;
  }

  /** Resolves when every queued change is written. */
  async settle(): Promise<void> {
    while (this.#running) {
      await this.#draining;
    }
  }

  /**
   * Drops every later change: the attempt has ended, and its run may already belong to the next
   * attempt. Call it once everything the end wrote has settled.
   */
  close() {
    this.#closed = true;
  }

  async #drain() {
    // No await between the last emptiness check and clearing `running`, so a change queued
    // after it always starts a new drain.
    try {
      while (this.#pending.size > 0) {
        await this.#writeNext();
      }
    } finally {
      this.#running = false;
    }
  }

  async #writeNext() {
    const [key, entry] = this.#pending.entries().next().value!;
    this.#pending.delete(key);
    try {
      await patchStatus(
        this.store,
        entry.ref,
        status =>
          entry.changes.reduce(
            (next, change) => keepTerminalPhase(next, change(next)),
            status,
          ),
        this.actor,
      );
    } catch (error) {
      this.logger.error(
        `Status update of ${entry.ref.kind} ${entry.ref.namespace}/${entry.ref.name} failed: ${error}`,
      );
    }
    entry.resolve();
  }
}
