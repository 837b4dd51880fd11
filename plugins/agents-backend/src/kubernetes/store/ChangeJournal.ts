import { InputError } from '@backstage/errors';
import { EventEmitter } from 'node:events';
import {
  ChangesResult,
  ResourceExpiredError,
  StoredResource,
  WatchEventType,
} from '../../resources/ResourceStore';

interface JournalEntry {
  seq: number;
  kind: string;
  type: WatchEventType;
  object: StoredResource;
}

/**
 * The changes an informer cache saw, numbered by one increasing sequence, so watchers of the
 * portal resume as they do from the database's change feed. The sequence starts at
 * `Date.now() * 1000`: a restarted backend's versions are larger than the last process's, whose
 * journal is gone, so any version it handed out reads as expired and the client lists again.
 */
export class ChangeJournal {
  readonly #limit: number;
  readonly #entries: JournalEntry[] = [];
  readonly #appended = new EventEmitter().setMaxListeners(0);
  /** Index of the oldest kept entry; entries before it are dropped lazily. */
  #head = 0;
  #seq: number;
  /** Versions below this may have lost changes. */
  #keptAfter: number;

  constructor(options: { limit: number; now?: number }) {
    this.#limit = options.limit;
    this.#seq = (options.now ?? Date.now()) * 1000;
    this.#keptAfter = this.#seq;
  }

  current(): number {
    return this.#seq;
  }

  append(kind: string, type: WatchEventType, object: StoredResource): number {
    this.#seq += 1;
    this.#entries.push({ seq: this.#seq, kind, type, object });
    if (this.#entries.length - this.#head > this.#limit) {
      this.#keptAfter = this.#entries[this.#head].seq;
      this.#head += 1;
      if (this.#head >= this.#limit) {
        this.#entries.splice(0, this.#head);
        this.#head = 0;
      }
    }
    this.#appended.emit('append');
    return this.#seq;
  }

  /** A kind's changes after `resourceVersion`, oldest first, each with its own version. */
  changesSince(
    kind: string,
    options: { resourceVersion: string; namespace?: string; limit: number },
  ): ChangesResult {
    const from = Number(options.resourceVersion);
    if (!/^\d+$/.test(options.resourceVersion) || !Number.isSafeInteger(from)) {
      throw new InputError('resourceVersion: must be a non-negative integer');
    }
    if (from < this.#keptAfter) {
      throw new ResourceExpiredError(
        `resourceVersion ${from} is too old: this backend keeps changes after ${
          this.#keptAfter
        }; list again and watch from the list's resourceVersion`,
      );
    }
    if (from > this.#seq) {
      throw new ResourceExpiredError(
        `resourceVersion ${from} is unknown to this backend (its latest is ${
          this.#seq
        }); list again and watch from the list's resourceVersion`,
      );
    }
    const events = [];
    for (let i = this.#firstAfter(from); i < this.#entries.length; i++) {
      const entry = this.#entries[i];
      if (entry.kind !== kind) continue;
      if (
        options.namespace &&
        entry.object.metadata.namespace !== options.namespace
      ) {
        continue;
      }
      events.push({
        type: entry.type,
        object: structuredClone(entry.object),
        resourceVersion: String(entry.seq),
      });
      if (events.length === options.limit) {
        return { events, resourceVersion: String(entry.seq) };
      }
    }
    return { events, resourceVersion: String(this.#seq) };
  }

  /** Resolves on the next append, after `timeoutMs`, or when `signal` aborts. */
  waitForAppend(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise(resolve => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const done = () => {
        clearTimeout(timer);
        this.#appended.off('append', done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      if (signal?.aborted) {
        resolve();
        return;
      }
      timer = setTimeout(done, timeoutMs);
      this.#appended.once('append', done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /** Index of the first kept entry with a version above `from`: binary search, versions ascend. */
  #firstAfter(from: number): number {
    let low = this.#head;
    let high = this.#entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#entries[middle].seq <= from) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
