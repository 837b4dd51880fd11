import {
  ADD,
  DELETE,
  ERROR,
  KubeConfig,
  KubernetesListObject,
  KubernetesObject,
  ListWatch,
  UPDATE,
} from '@kubernetes/client-node';
import { AGENTS_API_GROUP_VERSION } from '@krate/plugin-agents-common';
import { WatchEventType } from '../../resources/ResourceStore';
import { ClusterObject } from './clusterObjects';
import { clusterError } from './clusterError';
import { CustomObjectClient } from './CustomObjectClient';
import { InformerWatch, WatchTiming } from './InformerWatch';

export interface Backoff {
  initialMs: number;
  maxMs: number;
}

/** Where an informer reports what it sees and how its connection fares. */
export interface KindInformerListener {
  change(kind: string, type: WatchEventType, object: ClusterObject): void;
  failed(kind: string, message: string): void;
  recovered(kind: string): void;
}

export interface KindInformerState {
  kind: string;
  synced: boolean;
  lastError?: string;
  lastSyncAt?: string;
}

/**
 * One kind's cache of the cluster: client-node's ListWatch over every namespace. ListWatch
 * relists by itself after a 410 (diffing the new list against its cache, so the changes missed
 * arrive as ADD/UPDATE/DELETE) but stops on any other error; this restarts it with exponential
 * backoff and jitter.
 */
export class KindInformer {
  readonly kind: string;
  readonly #listWatch: ListWatch<KubernetesObject>;
  readonly #listener: KindInformerListener;
  readonly #backoff: Backoff;
  readonly #server: string;
  #stopped = false;
  #retry?: NodeJS.Timeout;
  #attempt = 0;
  #synced = false;
  #lastError?: string;
  #lastSyncAt?: string;
  readonly #firstSync: Promise<void>;
  #firstSyncDone!: () => void;

  constructor(options: {
    kind: string;
    plural: string;
    kubeConfig: KubeConfig;
    client: CustomObjectClient;
    listener: KindInformerListener;
    backoff: Backoff;
    watchTiming: WatchTiming;
  }) {
    const { kind, plural, client, listener } = options;
    this.kind = kind;
    this.#listener = listener;
    this.#backoff = options.backoff;
    this.#server = client.server;
    this.#firstSync = new Promise(resolve => {
      this.#firstSyncDone = resolve;
    });
    const watch = new InformerWatch(
      options.kubeConfig,
      {
        onWatching: () => this.#cacheComplete(),
        onConnected: () => this.#connected(),
        isStopped: () => this.#stopped,
      },
      options.watchTiming,
    );
    this.#listWatch = new ListWatch(
      `/apis/${AGENTS_API_GROUP_VERSION}/${plural}`,
      watch,
      () =>
        client.listAll(plural) as Promise<
          KubernetesListObject<KubernetesObject>
        >,
      false,
    );
    const report = (type: WatchEventType) => (object: KubernetesObject) =>
      listener.change(kind, type, object as ClusterObject);
    this.#listWatch.on(ADD, report('ADDED'));
    this.#listWatch.on(UPDATE, report('MODIFIED'));
    this.#listWatch.on(DELETE, report('DELETED'));
    this.#listWatch.on(ERROR, error => this.#failed(error));
  }

  start(): void {
    this.#stopped = false;
    this.#run();
  }

  /** Resolves once the cache has held the whole kind. */
  whenSynced(): Promise<void> {
    return this.#firstSync;
  }

  isSynced(): boolean {
    return this.#synced;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#retry);
    await this.#listWatch.stop();
  }

  state(): KindInformerState {
    return {
      kind: this.kind,
      synced: this.#synced,
      ...(this.#lastError ? { lastError: this.#lastError } : {}),
      ...(this.#lastSyncAt ? { lastSyncAt: this.#lastSyncAt } : {}),
    };
  }

  lastError(): string | undefined {
    return this.#lastError;
  }

  #run(): void {
    this.#retry = undefined;
    this.#listWatch.start().catch(error => this.#failed(error));
  }

  #cacheComplete(): void {
    this.#synced = true;
    this.#lastSyncAt = new Date().toISOString();
    this.#firstSyncDone();
  }

  #connected(): void {
    this.#attempt = 0;
    if (this.#lastError !== undefined) {
      this.#lastError = undefined;
      this.#listener.recovered(this.kind);
    }
  }

  #failed(error: unknown): void {
    if (this.#stopped || this.#retry) return;
    this.#lastError = clusterError(error, {
      target: `the ${this.kind} list (is its CRD installed?)`,
      server: this.#server,
    }).message;
    this.#listener.failed(this.kind, this.#lastError);
    const ceiling = Math.min(
      this.#backoff.maxMs,
      this.#backoff.initialMs * 2 ** this.#attempt,
    );
    this.#attempt += 1;
    this.#retry = setTimeout(
      () => this.#run(),
      ceiling * (0.5 + Math.random() / 2),
    );
  }
}
