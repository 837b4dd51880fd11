import { KubeConfig, Watch } from '@kubernetes/client-node';

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
 * without them a quiet kind's version ages until a reconnect gets 410) and hooks that tell the
 * informer when its cache is complete and when the server is back.
 */
export class InformerWatch extends Watch {
  readonly #hooks: InformerWatchHooks;

  constructor(config: KubeConfig, hooks: InformerWatchHooks) {
    super(config);
    this.#hooks = hooks;
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
    const controller = await super.watch(
      path,
      { ...queryParams, allowWatchBookmarks: true },
      callback,
      error => {
        ended = true;
        done(error);
      },
    );
    // Stopped while the request was on its way: ListWatch would not abort this one.
    if (this.#hooks.isStopped()) {
      controller.abort();
    } else if (!ended) {
      this.#hooks.onConnected();
    }
    return controller;
  }
}
