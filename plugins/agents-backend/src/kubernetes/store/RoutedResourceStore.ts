import {
  ChangesResult,
  ListOptions,
  ListResult,
  ResourceStore,
  StoredResource,
  WriteContext,
  WriteOptions,
} from '../../resources/ResourceStore';
import { KubernetesResourceStore } from './KubernetesResourceStore';

/**
 * One ResourceStore over two: the cluster's kinds go to the Kubernetes store, every other kind
 * (execution records above all) to the database. Each kind's resource versions are its own
 * store's sequence.
 */
export class RoutedResourceStore implements ResourceStore {
  readonly #database: ResourceStore;
  readonly #cluster: KubernetesResourceStore;
  readonly #clusterKinds: ReadonlySet<string>;

  constructor(options: {
    database: ResourceStore;
    cluster: KubernetesResourceStore;
    clusterKinds: string[];
  }) {
    this.#database = options.database;
    this.#cluster = options.cluster;
    this.#clusterKinds = new Set(options.clusterKinds);
  }

  #storeOf(kind: string): ResourceStore {
    return this.#clusterKinds.has(kind) ? this.#cluster : this.#database;
  }

  list(kind: string, options: ListOptions): Promise<ListResult> {
    return this.#storeOf(kind).list(kind, options);
  }

  get(kind: string, namespace: string, name: string) {
    return this.#storeOf(kind).get(kind, namespace, name);
  }

  findByName(kind: string, name: string) {
    return this.#storeOf(kind).findByName(kind, name);
  }

  create(
    object: StoredResource,
    context: WriteContext,
    options?: WriteOptions,
  ) {
    return this.#storeOf(object.kind).create(object, context, options);
  }

  update(
    object: StoredResource,
    context: WriteContext,
    options?: WriteOptions,
  ) {
    return this.#storeOf(object.kind).update(object, context, options);
  }

  updateStatus(object: StoredResource, context: WriteContext) {
    return this.#storeOf(object.kind).updateStatus(object, context);
  }

  patchStatus(
    ref: { kind: string; namespace: string; name: string },
    change: (status: Record<string, any>) => Record<string, any>,
    context: WriteContext,
  ) {
    return this.#storeOf(ref.kind).patchStatus(ref, change, context);
  }

  delete(
    kind: string,
    namespace: string,
    name: string,
    context: WriteContext,
    options?: WriteOptions,
  ) {
    return this.#storeOf(kind).delete(kind, namespace, name, context, options);
  }

  changesSince(
    kind: string,
    options: { resourceVersion: string; namespace?: string; limit: number },
  ): Promise<ChangesResult> {
    return this.#storeOf(kind).changesSince(kind, options);
  }

  /** Resolves on a change in either store. */
  async waitForChange(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const first = new AbortController();
    const stopBoth = () => first.abort();
    signal?.addEventListener('abort', stopBoth, { once: true });
    if (signal?.aborted) stopBoth();
    try {
      await Promise.race([
        this.#database.waitForChange(timeoutMs, first.signal),
        this.#cluster.waitForChange(timeoutMs, first.signal),
      ]);
    } finally {
      signal?.removeEventListener('abort', stopBoth);
      first.abort();
    }
  }

  currentResourceVersion(kind: string): Promise<string> {
    return this.#storeOf(kind).currentResourceVersion(kind);
  }

  latestResourceVersion(kind: string): Promise<string> {
    const store = this.#storeOf(kind);
    return (
      store.latestResourceVersion?.(kind) ?? store.currentResourceVersion(kind)
    );
  }
}
