import { KubeConfig, Watch } from '@kubernetes/client-node';

/**
 * How long one watch request lasts. The server ends it after `timeoutSeconds` (a random value
 * between `minSeconds` and twice that, as client-go does, so informers do not all re-watch at
 * once); a request still open `graceMs` after that has a connection that died without a word,
 * and is aborted, so the informer reconnects instead of waiting on it for ever.
 */
export interface WatchTiming {
  minSeconds: number;
  graceMs: number;
}

/** What a kind's informer learns from its watch requests. */
export interface InformerWatchHooks {
  /** ListWatch watches only with a complete cache: after a list, or resuming from a version. */
  onWatching(): void;
  /** The API server accepted the watch. */
  onConnected(): void;
  isStopped(): boolean;
}

type WatchCallback = Parameters<Watch['watch']>[2];
type DoneCallback = Parameters<Watch['watch']>[3];

/**
 * client-node's Watch as ListWatch uses it, with bookmarks asked for (ListWatch does not, and
 * without them a quiet kind's version ages until a reconnect gets 410), a bounded lifetime
 * ({@link WatchTiming}) and hooks that tell the informer when its cache is complete and when the
 * server is back.
 */
export class InformerWatch extends Watch {
  readonly #hooks: InformerWatchHooks;
  readonly #timing: WatchTiming;

  constructor(
    config: KubeConfig,
    hooks: InformerWatchHooks,
    timing: WatchTiming,
  ) {
    super(config);
    this.#hooks = hooks;
    this.#timing = timing;
  }

  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: WatchCallback,
    done: DoneCallback,
  ): Promise<AbortController> {
    if (this.#hooks.isStopped()) {
      const stopped = new AbortController();
      stopped.abort();
      return stopped;
    }
    this.#hooks.onWatching();
    let ended = false;
    let watchdog: NodeJS.Timeout | undefined;
    const { minSeconds, graceMs } = this.#timing;
    const timeoutSeconds = Math.round(minSeconds * (1 + Math.random()));
    const controller = await super.watch(
      path,
      { ...queryParams, allowWatchBookmarks: true, timeoutSeconds },
      callback,
      error => {
        ended = true;
        clearTimeout(watchdog);
        done(error);
      },
    );
    if (!ended) {
      watchdog = setTimeout(
        () => controller.abort(),
        timeoutSeconds * 1000 + graceMs,
      );
      watchdog.unref();
    }
    // Stopped while the request was on its way: ListWatch would not abort this one.
    if (this.#hooks.isStopped()) {
      controller.abort();
    } else if (!ended) {
      this.#hooks.onConnected();
    }
    return controller;
  }
}
