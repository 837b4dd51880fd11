import { LoggerService } from '@backstage/backend-plugin-api';
import {
  InputError,
  isError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { findKind } from '@krate/plugin-agents-common';
import { KubeConfig } from '@kubernetes/client-node';
import { AuditStore, NewAuditRecord } from '../../database/AuditStore';
import { contentDigestOf } from '../../database/DatabaseResourceStore';
import { jsonEqual } from '../../resources/digest';
import {
  ChangesResult,
  ListOptions,
  ListResult,
  ResourceStore,
  StoredResource,
  WatchEventType,
  WriteContext,
  WriteOptions,
} from '../../resources/ResourceStore';
import { KubernetesNamespaces } from '../KubernetesNamespaces';
import { ChangeJournal } from './ChangeJournal';
import {
  ClusterObject,
  fromCluster,
  newClusterObject,
  replacedClusterObject,
  statusClusterObject,
} from './clusterObjects';
import { ClusterRef, CustomObjectClient } from './CustomObjectClient';
import { KindCache } from './KindCache';
import {
  Backoff,
  KindInformer,
  KindInformerListener,
  KindInformerState,
} from './KindInformer';
import { WatchTiming } from './InformerWatch';

export interface KubernetesResourceStoreOptions {
  kubeConfig: KubeConfig;
  /** The configuration kinds this store keeps; each has a CRD in the cluster. */
  kinds: string[];
  namespaces: KubernetesNamespaces;
  audit: AuditStore;
  logger: LoggerService;
  /** Changes kept for watchers to resume from; default 10000. */
  journalLimit?: number;
  /** Reconnect delays of the informers; default 500 ms doubling up to 30 s. */
  backoff?: Backoff;
  /** How long a watch request lasts; default 5 to 10 min, aborted 30 s after that. */
  watchTiming?: WatchTiming;
  /** How long `start()` waits for the first sync of every kind; default 10 s. */
  startTimeoutMs?: number;
}

/** How long a write waits for the informer to show it, so the next read sees it. */
const READ_YOUR_WRITES_MS = 5_000;
/** Attempts of a write without a precondition that keeps meeting concurrent writes. */
const CONFLICT_ATTEMPTS = 5;

/** What a write did, for the audit record: the object before and after. */
interface Written {
  before?: ClusterObject;
  after: ClusterObject;
}

/**
 * The configuration kinds in a Kubernetes cluster: their CRDs are the source of truth. Reads come
 * from one informer cache per kind; writes go to the API server with its semantics (optimistic
 * concurrency on resourceVersion, validation by the CRD schema, `dryRun=All`) and return once the
 * cache shows them. Changes are journalled under a sequence of this store's own, which watchers
 * resume from; the objects keep the cluster's resourceVersion for the next write's precondition.
 * Writes made through the portal are audited; changes made with kubectl are the cluster's audit
 * log's to record.
 */
export class KubernetesResourceStore implements ResourceStore {
  readonly #options: KubernetesResourceStoreOptions;
  readonly #client: CustomObjectClient;
  readonly #namespaces: KubernetesNamespaces;
  readonly #journal: ChangeJournal;
  readonly #caches = new Map<string, KindCache>();
  readonly #informers = new Map<string, KindInformer>();
  /** Kinds whose informer cannot reach the API server, for one warning per outage. */
  readonly #failing = new Set<string>();

  constructor(options: KubernetesResourceStoreOptions) {
    this.#options = options;
    this.#namespaces = options.namespaces;
    this.#client = new CustomObjectClient(options.kubeConfig);
    this.#journal = new ChangeJournal({
      limit: options.journalLimit ?? 10_000,
    });
    const listener: KindInformerListener = {
      change: (kind, type, object) => this.#record(kind, type, object),
      failed: (kind, message) => this.#failed(kind, message),
      recovered: kind => this.#recovered(kind),
    };
    for (const kind of options.kinds) {
      const definition = findKind(kind);
      if (definition?.category !== 'configuration') {
        throw new Error(
          `KubernetesResourceStore: ${kind} is not a configuration kind`,
        );
      }
      this.#caches.set(kind, new KindCache(kind));
      this.#informers.set(
        kind,
        new KindInformer({
          kind,
          plural: definition.plural,
          kubeConfig: options.kubeConfig,
          client: this.#client,
          listener,
          backoff: options.backoff ?? { initialMs: 500, maxMs: 30_000 },
          watchTiming: options.watchTiming ?? {
            minSeconds: 300,
            graceMs: 30_000,
          },
        }),
      );
    }
  }

  /**
   * Starts the informers; resolves when every kind has synced once or after `startTimeoutMs`.
   * Never fails for an unreachable cluster: reads answer 503 until their kind has synced.
   */
  async start(): Promise<void> {
    const informers = [...this.#informers.values()];
    informers.forEach(informer => informer.start());
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(informers.map(informer => informer.whenSynced())),
      new Promise(resolve => {
        timer = setTimeout(resolve, this.#options.startTimeoutMs ?? 10_000);
      }),
    ]);
    clearTimeout(timer);
  }

  async stop(): Promise<void> {
    await Promise.all(
      [...this.#informers.values()].map(informer => informer.stop()),
    );
  }

  /** Each kind's informer: synced or not, and why not; for the health route. */
  state(): KindInformerState[] {
    return [...this.#informers.values()].map(informer => informer.state());
  }

  async list(kind: string, options: ListOptions): Promise<ListResult> {
    if (options.changedAfter !== undefined) {
      throw new InputError(
        `changedAfter: ${kind} is kept in the cluster and cannot be listed by change`,
      );
    }
    for (const [field, value] of Object.entries(options.fieldFilters ?? {})) {
      if (value !== undefined) {
        throw new InputError(
          `${field}: ${kind} cannot be filtered by ${field}`,
        );
      }
    }
    const cache = this.#syncedCache(kind);
    const resourceVersion = options.withResourceVersion
      ? String(this.#journal.current())
      : undefined;
    return { ...cache.list(options), resourceVersion };
  }

  async get(kind: string, namespace: string, name: string) {
    return this.#syncedCache(kind).get(namespace, name);
  }

  async findByName(kind: string, name: string) {
    return this.#syncedCache(kind).findByName(name);
  }

  async create(
    object: StoredResource,
    context: WriteContext,
    options: WriteOptions = {},
  ): Promise<StoredResource> {
    const ref = this.#ref(object.kind, object.metadata);
    const body = newClusterObject(object, this.#namespaces);
    const after = await this.#client.create(ref, body, Boolean(options.dryRun));
    return this.#finish(ref, 'create', context, options, { after });
  }

  async update(
    object: StoredResource,
    context: WriteContext,
    options: WriteOptions = {},
  ): Promise<StoredResource> {
    const ref = this.#ref(object.kind, object.metadata);
    const precondition = object.metadata.resourceVersion;
    const written = await this.#retryingConflicts(
      precondition === undefined,
      async () => {
        const before = await this.#client.get(ref);
        const body = replacedClusterObject(
          before,
          object,
          precondition ?? before.metadata.resourceVersion,
        );
        const after = await this.#client.replace(
          ref,
          body,
          Boolean(options.dryRun),
        );
        return { before, after };
      },
    );
    return this.#finish(ref, 'update', context, options, written);
  }

  async updateStatus(
    object: StoredResource,
    context: WriteContext,
  ): Promise<StoredResource> {
    const ref = this.#ref(object.kind, object.metadata);
    const precondition = object.metadata.resourceVersion;
    const written = await this.#retryingConflicts(
      precondition === undefined,
      async () => {
        const before = await this.#client.get(ref);
        const body = statusClusterObject(
          before,
          object.status,
          precondition ?? before.metadata.resourceVersion,
        );
        return { before, after: await this.#client.replaceStatus(ref, body) };
      },
    );
    return this.#finish(ref, 'update-status', context, {}, written);
  }

  /** Reads, changes and writes back the status at the version read, again when another write came in between. */
  async patchStatus(
    target: { kind: string; namespace: string; name: string },
    change: (status: Record<string, any>) => Record<string, any>,
    context: WriteContext,
  ): Promise<StoredResource> {
    const ref = this.#ref(target.kind, target);
    const written = await this.#retryingConflicts(true, async () => {
      const before = await this.#client.get(ref);
      const status = change({ ...(before.status ?? {}) });
      if (jsonEqual(status, before.status ?? {})) {
        return { before, after: before };
      }
      const body = statusClusterObject(
        before,
        status,
        before.metadata.resourceVersion,
      );
      return { before, after: await this.#client.replaceStatus(ref, body) };
    });
    return this.#finish(ref, 'update-status', context, {}, written);
  }

  async delete(
    kind: string,
    namespace: string,
    name: string,
    context: WriteContext,
    options: WriteOptions = {},
  ): Promise<StoredResource> {
    const ref = this.#ref(kind, { namespace, name });
    const before = await this.#client.get(ref);
    const answer = await this.#client.delete(ref, {
      resourceVersion: options.resourceVersion,
      dryRun: Boolean(options.dryRun),
    });
    // While finalizers run the API server answers the object, marked for deletion.
    const last = answer.kind === kind ? (answer as ClusterObject) : before;
    const deleted = fromCluster(last, this.#namespaces);
    if (options.dryRun) return deleted;
    await this.#untilCached(ref, cached => {
      return !cached || cached.metadata.uid !== deleted.metadata.uid;
    });
    await this.#audit({
      actor: context.actor,
      action: 'delete',
      target: { kind, namespace, name },
      beforeDigest: contentDigestOf(fromCluster(before, this.#namespaces)),
    });
    return deleted;
  }

  async changesSince(
    kind: string,
    options: { resourceVersion: string; namespace?: string; limit: number },
  ): Promise<ChangesResult> {
    this.#informer(kind);
    return this.#journal.changesSince(kind, options);
  }

  waitForChange(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return this.#journal.waitForAppend(timeoutMs, signal);
  }

  /** This store's sequence, shared by its kinds; unrelated to the cluster's resourceVersions. */
  async currentResourceVersion(kind: string): Promise<string> {
    this.#informer(kind);
    return String(this.#journal.current());
  }

  #record(kind: string, type: WatchEventType, clusterObject: ClusterObject) {
    const object = fromCluster(clusterObject, this.#namespaces);
    const cache = this.#caches.get(kind)!;
    if (type === 'DELETED') cache.delete(object);
    else cache.set(object);
    this.#journal.append(kind, type, object);
  }

  /** After a write: dry runs return at once; real ones once cached, then audited. */
  async #finish(
    ref: ClusterRef,
    action: string,
    context: WriteContext,
    options: WriteOptions,
    { before, after }: Written,
  ): Promise<StoredResource> {
    const result = fromCluster(after, this.#namespaces);
    const version = after.metadata.resourceVersion;
    if (options.dryRun || version === before?.metadata.resourceVersion) {
      return result;
    }
    await this.#untilCached(
      ref,
      cached =>
        cached !== undefined &&
        isAtLeast(cached.metadata.resourceVersion, version),
    );
    await this.#audit({
      actor: context.actor,
      action,
      target: { kind: ref.kind, namespace: ref.org, name: ref.name },
      ...(before
        ? {
            beforeDigest: contentDigestOf(
              fromCluster(before, this.#namespaces),
            ),
          }
        : {}),
      afterDigest: contentDigestOf(result),
    });
    return result;
  }

  /**
   * The audit record of a write the cluster has made already: when it cannot be recorded the
   * write still stands, so the failure is logged, not answered.
   */
  async #audit(record: NewAuditRecord): Promise<void> {
    try {
      await this.#options.audit.append(record);
    } catch (error) {
      const { kind, namespace, name } = record.target;
      this.#options.logger.error(
        `Could not record the audit record of ${record.action} of ${kind} ${namespace}/${name} by ${record.actor}, which the cluster has made`,
        isError(error) ? error : undefined,
      );
    }
  }

  /** Waits until the informer's cache satisfies `done` for the object, at most a few seconds. */
  async #untilCached(
    ref: ClusterRef,
    done: (cached: StoredResource | undefined) => boolean,
  ): Promise<void> {
    if (!this.#informer(ref.kind).isSynced()) return;
    const cache = this.#caches.get(ref.kind)!;
    const deadline = Date.now() + READ_YOUR_WRITES_MS;
    while (!done(cache.peek(ref.org, ref.name)) && Date.now() < deadline) {
      await this.#journal.waitForAppend(deadline - Date.now());
    }
  }

  async #retryingConflicts(
    retry: boolean,
    write: () => Promise<Written>,
  ): Promise<Written> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write();
      } catch (error) {
        const conflict = isError(error) && error.name === 'ConflictError';
        if (!retry || !conflict || attempt >= CONFLICT_ATTEMPTS) throw error;
      }
    }
  }

  #informer(kind: string): KindInformer {
    const informer = this.#informers.get(kind);
    if (!informer) {
      throw new InputError(`kind: ${kind} is not kept in the cluster`);
    }
    return informer;
  }

  #syncedCache(kind: string): KindCache {
    const informer = this.#informer(kind);
    if (!informer.isSynced()) {
      const why = informer.lastError();
      throw new ServiceUnavailableError(
        `${kind} objects are not available yet: they have not been read from the Kubernetes API server at ${
          this.#client.server
        }${why ? ` (${why})` : ''}`,
      );
    }
    return this.#caches.get(kind)!;
  }

  #ref(kind: string, metadata: { namespace: string; name: string }) {
    const definition = findKind(kind);
    this.#informer(kind);
    return {
      kind,
      plural: definition!.plural,
      namespace: this.#namespaces.toCluster(metadata.namespace),
      name: metadata.name,
      org: metadata.namespace,
    };
  }

  #failed(kind: string, message: string): void {
    if (this.#failing.size === 0) {
      this.#options.logger.warn(
        `The Kubernetes API server at ${
          this.#client.server
        } is unavailable (${kind}: ${message}); agents configuration is served from the last cache and the informers reconnect with backoff`,
      );
    }
    this.#failing.add(kind);
  }

  #recovered(kind: string): void {
    if (!this.#failing.delete(kind) || this.#failing.size > 0) return;
    this.#options.logger.info(
      `The Kubernetes API server at ${
        this.#client.server
      } is reachable again; the informers have resumed`,
    );
  }
}

/** Whether a cached resourceVersion is `version` or a later one (etcd's are increasing integers). */
function isAtLeast(cached: string | undefined, version: string | undefined) {
  if (cached === version) return true;
  if (!cached || !version || !/^\d+$/.test(cached) || !/^\d+$/.test(version)) {
    return false;
  }
  return BigInt(cached) >= BigInt(version);
}
