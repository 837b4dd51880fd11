import { LoggerService } from '@backstage/backend-plugin-api';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  AGENTS_SIGNAL_CHANNEL,
  AGENTS_SIGNALLED_KINDS,
  AgentsChangeSignal,
} from '@krate/plugin-agents-common';
import {
  ResourceExpiredError,
  ResourceStore,
} from '../resources/ResourceStore';

const PAGE = 500;

export interface ChangeSignalsOptions {
  store: ResourceStore;
  signals: SignalsService;
  logger: LoggerService;
  /** Changes closer together than this go out as one batch; default 250 ms. */
  batchMs?: number;
  /** How long to wait for a local write before looking for other instances' writes. */
  idleMs?: number;
}

/**
 * Announces changes of runs, attempts, approvals, workspaces, stacks, trigger rules, their
 * executions and webhook deliveries on the Backstage signals channel, so pages refresh at once. It follows the store's change feed, so writes of
 * every instance are seen (other instances' within `idleMs`); with several instances a change
 * may be announced more than once, which only costs the pages an extra read.
 */
export class ChangeSignals {
  readonly #options: ChangeSignalsOptions;
  readonly #cursors = new Map<string, string>();
  #abort?: AbortController;
  #loop?: Promise<void>;

  constructor(options: ChangeSignalsOptions) {
    this.#options = options;
  }

  async start(): Promise<void> {
    const { store } = this.#options;
    for (const kind of AGENTS_SIGNALLED_KINDS) {
      this.#cursors.set(kind, await store.currentResourceVersion(kind));
    }
    this.#abort = new AbortController();
    this.#loop = this.#run(this.#abort.signal);
  }

  async stop(): Promise<void> {
    this.#abort?.abort();
    await this.#loop;
  }

  async #run(signal: AbortSignal): Promise<void> {
    const { store, logger } = this.#options;
    while (!signal.aborted) {
      await store.waitForChange(this.#options.idleMs ?? 5_000, signal);
      await sleep(this.#options.batchMs ?? 250, signal);
      if (signal.aborted) {
        return;
      }
      try {
        await this.publishPending();
      } catch (error) {
        logger.warn(`Could not publish agents change signals: ${error}`);
      }
    }
  }

  /** Publishes every change since the last call, one signal per changed object. */
  async publishPending(): Promise<number> {
    let published = 0;
    for (const kind of AGENTS_SIGNALLED_KINDS) {
      const changed = await this.#changesOf(kind);
      for (const message of changed) {
        await this.#options.signals.publish({
          recipients: { type: 'broadcast' },
          channel: AGENTS_SIGNAL_CHANNEL,
          message: { ...message },
        });
        published += 1;
      }
    }
    return published;
  }

  /** The objects of a kind that changed since its cursor, each once with its last change. */
  async #changesOf(kind: string): Promise<AgentsChangeSignal[]> {
    const { store } = this.#options;
    const latest = new Map<string, AgentsChangeSignal>();
    for (;;) {
      let page;
      try {
        page = await store.changesSince(kind, {
          resourceVersion: this.#cursors.get(kind)!,
          limit: PAGE,
        });
      } catch (error) {
        if (!(error instanceof ResourceExpiredError)) {
          throw error;
        }
        // Compacted past our cursor: what was missed is unknowable, so start from now.
        this.#cursors.set(kind, await store.currentResourceVersion(kind));
        return [];
      }
      for (const { type, object } of page.events) {
        const { namespace, name } = object.metadata;
        latest.set(`${namespace}/${name}`, {
          kind,
          namespace: namespace!,
          name,
          type,
        });
      }
      this.#cursors.set(kind, page.resourceVersion);
      if (page.events.length < PAGE) {
        return [...latest.values()];
      }
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
