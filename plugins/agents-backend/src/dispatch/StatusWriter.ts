import { LoggerService } from '@backstage/backend-plugin-api';
import { ResourceStore } from '../resources/ResourceStore';
import { keepTerminalPhase } from './keepTerminalPhase';
import { patchStatus } from './patchStatus';

type Change = (status: Record<string, any>) => Record<string, any>;

interface Pending {
  ref: { kind: string; namespace: string; name: string };
  changes: Change[];
  /** False while it holds only lazy changes, which wait for company or for the lazy timer. */
  due: boolean;
  done: Promise<void>;
  resolve: () => void;
}

/** How long a lazy change may wait for another change of its object to ride along with. */
const LAZY_MS = 3_000;

/**
 * Writes the status changes of an attempt's objects one at a time, merging the changes that
 * pile up for an object while a write is in flight into one write: a runtime that binds its
 * session, reports cost and changes phase in quick succession costs a few writes, not one each.
 * A lazy change (cost so far, a phase the next write restates) waits up to a second for another
 * change of its object and goes with it, so a short attempt writes its cost with its end.
 * No change takes an object out of a terminal phase (see keepTerminalPhase), and once the
 * attempt has ended and the writer is closed, nothing more is written.
 */
export class StatusWriter {
  readonly #pending = new Map<string, Pending>();
  #draining?: Promise<void>;
  #running = false;
  #closed = false;
  #lazyTimer?: NodeJS.Timeout;

  constructor(
    private readonly store: ResourceStore,
    private readonly actor: string,
    private readonly logger: LoggerService,
  ) {}

  /** Queues a change; resolves once it is written (or its write failed and was logged). */
  update(
    ref: Pending['ref'],
    change: Change,
    options: { lazy?: boolean } = {},
  ): Promise<void> {
    if (this.#closed) {
      return Promise.resolve();
    }
    const key = `${ref.kind}/${ref.namespace}/${ref.name}`;
    let entry = this.#pending.get(key);
    if (!entry) {
      let resolve!: () => void;
      const done = new Promise<void>(r => (resolve = r));
      entry = { ref, changes: [], due: false, done, resolve };
      this.#pending.set(key, entry);
    }
    entry.changes.push(change);
    if (options.lazy && !entry.due) {
      this.#lazyTimer ??= setTimeout(() => this.#flush(), LAZY_MS);
    } else {
      entry.due = true;
      this.#startDrain();
    }
    return entry.done;
  }

  /**
   * Resolves when every queued change is written; with `keepLazy`, lazy changes that have no
   * company yet stay queued for the next write (an attempt's end takes its last cost along).
   */
  async settle(options: { keepLazy?: boolean } = {}): Promise<void> {
    if (!options.keepLazy) {
      this.#flush();
    }
    while (this.#running) {
      await this.#draining;
    }
  }

  #flush() {
    clearTimeout(this.#lazyTimer);
    this.#lazyTimer = undefined;
    for (const entry of this.#pending.values()) entry.due = true;
    this.#startDrain();
  }

  #startDrain() {
    if (!this.#running && this.#nextDue()) {
      this.#running = true;
      this.#draining = this.#drain();
    }
  }

  #nextDue(): [string, Pending] | undefined {
    for (const item of this.#pending) {
      if (item[1].due) return item;
    }
    return undefined;
  }

  /**
   * Drops every later change: the attempt has ended, and its run may already belong to the next
   * attempt. Call it once everything the end wrote has settled.
   */
  close() {
    this.#closed = true;
    clearTimeout(this.#lazyTimer);
    for (const entry of this.#pending.values()) entry.resolve();
    this.#pending.clear();
  }

  async #drain() {
    // No await between the last check for due changes and clearing `running`, so a change
    // queued after it always starts a new drain.
    try {
      for (let next = this.#nextDue(); next; next = this.#nextDue()) {
        await this.#write(...next);
      }
    } finally {
      this.#running = false;
    }
  }

  async #write(key: string, entry: Pending) {
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
