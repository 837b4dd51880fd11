import { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { setTimeout as delay } from 'node:timers/promises';
import {
  ResourceExpiredError,
  ResourceStore,
  WatchEvent,
} from '../resources/ResourceStore';

const BATCH = 500;

/** How a change-feed controller paces itself; every field has a default. */
export interface ChangeFeedTiming {
  /** Longest sleep between reads of the change feed, for writes of other instances; default 2 s. */
  pollMs?: number;
  /** Pause before retrying after an error; default 5 s. */
  retryMs?: number;
  /**
   * Pause after a write woke it, so a burst of writes (a dispatch writes runs, attempts,
   * sessions…) costs one pass over the feed instead of one per write; default 100 ms.
   */
  settleMs?: number;
}

/** The work a loop drives: what the feed's changes queue, and reconciling it. */
export interface FeedReconciler {
  /** Queues the work one change calls for. */
  note(event: WatchEvent): void;
  /** Reconciles every object from a fresh list, dropping whatever was queued. */
  reconcileAll(): Promise<void>;
  reconcileQueued(): Promise<void>;
  /** Whether work is still queued: what failed waits for a retry. */
  hasQueued(): boolean;
}

export interface ChangeFeedLoopOptions extends ChangeFeedTiming {
  /** Names the controller in logs and errors, e.g. `Stack controller`. */
  name: string;
  store: ResourceStore;
  logger: LoggerService;
  /** The kinds whose changes matter. */
  kinds: readonly string[];
  reconciler: FeedReconciler;
  /** Time between full resyncs, which catch what no change announces. */
  resyncMs: number;
  /** Called before each full resync. */
  onResync?(): void;
}

/**
 * The loop of a controller that follows the store's change feed: a full sync on start and
 * every `resyncMs`, in between the new changes of its kinds, each pass as soon as a write wakes
 * it or after `pollMs`. When the feed was compacted past its cursors it syncs fully again; a
 * failed pass is logged and retried after `retryMs`.
 */
export class ChangeFeedLoop {
  readonly #options: ChangeFeedLoopOptions;
  readonly #pollMs: number;
  readonly #retryMs: number;
  readonly #settleMs: number;

  readonly #cursors = new Map<string, number>();
  #fullSyncNeeded = true;
  #nextResync = 0;
  #stop?: AbortController;
  #wake = new AbortController();
  #loop?: Promise<void>;
  #waiters: { targets: Map<string, number>; resolve: () => void }[] = [];

  constructor(options: ChangeFeedLoopOptions) {
    this.#options = options;
    this.#pollMs = options.pollMs ?? 2_000;
    this.#retryMs = options.retryMs ?? 5_000;
    this.#settleMs = options.settleMs ?? 100;
  }

  /** Starts the loop; resolves once the first full sync was tried. */
  async start(): Promise<void> {
    if (this.#loop) return;
    this.#stop = new AbortController();
    this.#fullSyncNeeded = true;
    this.#nextResync = 0;
    let firstPassDone!: () => void;
    const firstPass = new Promise<void>(resolve => {
      firstPassDone = resolve;
    });
    this.#loop = this.#run(this.#stop.signal, firstPassDone);
    await firstPass;
  }

  /** Stops the loop; resolves when it has exited. */
  async stop(): Promise<void> {
    this.#stop?.abort();
    this.#wake.abort();
    await this.#loop;
    this.#loop = undefined;
    for (const waiter of this.#waiters.splice(0)) waiter.resolve();
  }

  /** Resolves once every change up to each kind's current resource version is reconciled. */
  async whenSynced(): Promise<void> {
    if (!this.#loop) {
      throw new Error(`${this.#options.name} is not running`);
    }
    const targets = await this.#latestVersions();
    if (this.#isSynced(targets)) return;
    await new Promise<void>(resolve => {
      this.#waiters.push({ targets, resolve });
      this.#wake.abort();
    });
  }

  /** Each kind's current version: kinds may live in stores with unrelated sequences. */
  async #currentVersions(): Promise<Map<string, number>> {
    const { store, kinds } = this.#options;
    const versions = await Promise.all(
      kinds.map(kind => store.currentResourceVersion(kind)),
    );
    return new Map(kinds.map((kind, i) => [kind, Number(versions[i])]));
  }

  /**
   * Each kind's last version handed out: what a waiter waits for. The current version can lag
   * behind a write that already committed (a horizon held back by another transaction in
   * flight), and waiting for that would answer before the write was reconciled.
   */
  async #latestVersions(): Promise<Map<string, number>> {
    const { store, kinds } = this.#options;
    const versions = await Promise.all(
      kinds.map(
        kind =>
          store.latestResourceVersion?.(kind) ??
          store.currentResourceVersion(kind),
      ),
    );
    return new Map(kinds.map((kind, i) => [kind, Number(versions[i])]));
  }

  #isSynced(targets: Map<string, number>): boolean {
    return (
      !this.#fullSyncNeeded &&
      !this.#options.reconciler.hasQueued() &&
      this.#options.kinds.every(
        kind => (this.#cursors.get(kind) ?? -1) >= targets.get(kind)!,
      )
    );
  }

  async #run(signal: AbortSignal, firstPassDone: () => void): Promise<void> {
    let first = true;
    while (!signal.aborted) {
      let next: 'busy' | 'idle' | 'retry' | 'failed';
      try {
        next = await this.#pass();
      } catch (error) {
        this.#options.logger.warn(
          `${this.#options.name} pass failed; retrying in ${this.#retryMs} ms`,
          isError(error) ? error : undefined,
        );
        next = 'failed';
      }
      this.#waiters = this.#waiters.filter(waiter => {
        if (!this.#isSynced(waiter.targets)) return true;
        waiter.resolve();
        return false;
      });
      if (first) {
        first = false;
        firstPassDone();
      }
      if (signal.aborted || next === 'busy') continue;
      if (next === 'failed') {
        await delay(this.#retryMs, undefined, { signal }).catch(() => {});
        continue;
      }
      const wait =
        next === 'retry'
          ? this.#retryMs
          : Math.min(this.#pollMs, this.#nextResync - Date.now());
      if (wait > 0 && !this.#wake.signal.aborted) {
        await this.#options.store.waitForChange(wait, this.#wake.signal);
        await delay(this.#settleMs, undefined, {
          signal: this.#wake.signal,
        }).catch(() => {});
      }
      if (this.#wake.signal.aborted) {
        this.#wake = new AbortController();
      }
    }
  }

  /** One round: a full sync when due, else the feed's new changes. */
  async #pass(): Promise<'busy' | 'idle' | 'retry'> {
    const { store, kinds, reconciler } = this.#options;
    if (Date.now() >= this.#nextResync) {
      this.#options.onResync?.();
      this.#fullSyncNeeded = true;
      this.#nextResync = Date.now() + this.#options.resyncMs;
    }
    if (this.#fullSyncNeeded) {
      const from = await this.#currentVersions();
      await reconciler.reconcileAll();
      for (const kind of kinds) this.#cursors.set(kind, from.get(kind)!);
      this.#fullSyncNeeded = false;
      return 'busy';
    }

    let more = false;
    for (const kind of kinds) {
      let changes;
      try {
        changes = await store.changesSince(kind, {
          resourceVersion: String(this.#cursors.get(kind)),
          limit: BATCH,
        });
      } catch (error) {
        if (error instanceof ResourceExpiredError) {
          this.#options.logger.info(
            `${this.#options.name} fell behind the change feed (${
              error.message
            }); reconciling everything`,
          );
          this.#fullSyncNeeded = true;
          return 'busy';
        }
        throw error;
      }
      changes.events.forEach(event => reconciler.note(event));
      this.#cursors.set(kind, Number(changes.resourceVersion));
      more ||= changes.events.length === BATCH;
    }
    await reconciler.reconcileQueued();
    if (reconciler.hasQueued()) return 'retry';
    return more ? 'busy' : 'idle';
  }
}
