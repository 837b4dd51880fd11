import { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { jsonEqual } from '../resources/digest';
import {
  ResourceStore,
  StoredResource,
  WatchEvent,
} from '../resources/ResourceStore';
import { FeedReconciler } from './ChangeFeedLoop';
import { NamespaceReader } from './NamespaceReader';
import { QueuedWork, ReconcileQueue } from './ReconcileQueue';

const BATCH = 500;

/** An object of another kind in the same namespace. */
export interface ObjectRef {
  kind: string;
  name: string;
}

export interface StatusReconcilerOptions<T extends StoredResource> {
  /** The kind whose status it keeps. */
  kind: T['kind'];
  store: ResourceStore;
  logger: LoggerService;
  /** Who the status writes are by, in the audit trail. */
  actor: string;
  /** The status the object should have, its other status fields kept. */
  statusOf(object: T, reader: NamespaceReader): Promise<T['status']>;
  /**
   * The objects of other kinds the object refers to: a change of one of them reconciles the
   * objects that refer to it. Without it, a change of another kind reconciles every object of
   * its namespace.
   */
  referencesOf?(object: T): ObjectRef[];
  /** Told of each status write, e.g. to log a transition. */
  onWritten?(before: T, after: T): void;
}

/**
 * Keeps the status of every object of one kind current, for a {@link ChangeFeedLoop}: changes
 * queue objects by namespace, and each is reconciled with the namespace's shared reader. Status
 * is written only when it differs, with the read resourceVersion as precondition; its own
 * writes come back through the feed and are recognised, so they cause no further work.
 */
export class StatusReconciler<T extends StoredResource>
  implements FeedReconciler
{
  readonly #options: StatusReconcilerOptions<T>;
  readonly #queue = new ReconcileQueue();
  /** resourceVersion of each object as the last status write left it. */
  readonly #echoes = new Map<string, string>();

  constructor(options: StatusReconcilerOptions<T>) {
    this.#options = options;
  }

  note(event: WatchEvent) {
    const { kind, metadata } = event.object;
    if (kind !== this.#options.kind) {
      if (this.#options.referencesOf) {
        this.#queue.addReferrers(metadata.namespace, kind, metadata.name);
      } else {
        this.#queue.addAll(metadata.namespace);
      }
      return;
    }
    const key = `${metadata.namespace}/${metadata.name}`;
    if (event.type === 'DELETED') {
      this.#echoes.delete(key);
      return;
    }
    if (this.#echoes.get(key) === metadata.resourceVersion) return;
    this.#queue.addNames(metadata.namespace, [metadata.name]);
  }

  hasQueued(): boolean {
    return this.#queue.size > 0;
  }

  async reconcileAll() {
    this.#queue.clear();
    const byNamespace = new Map<string, T[]>();
    let continueToken: string | undefined;
    do {
      const page = await this.#options.store.list(this.#options.kind, {
        limit: BATCH,
        continueToken,
      });
      for (const object of page.items as T[]) {
        const { namespace } = object.metadata;
        byNamespace.set(namespace, [
          ...(byNamespace.get(namespace) ?? []),
          object,
        ]);
      }
      continueToken = page.continueToken;
    } while (continueToken);
    for (const [namespace, objects] of byNamespace) {
      await this.#reconcileEach(
        objects,
        new NamespaceReader(this.#options.store, namespace),
      );
    }
  }

  async reconcileQueued() {
    const queued = this.#queue.take();
    for (const [index, [namespace, work]] of queued.entries()) {
      const reader = new NamespaceReader(this.#options.store, namespace);
      let objects: T[];
      try {
        objects = await this.#select(work, reader);
      } catch (error) {
        for (const [ns, rest] of queued.slice(index)) {
          this.#queue.restore(ns, rest);
        }
        throw error;
      }
      await this.#reconcileEach(objects, reader);
    }
  }

  async #select(work: QueuedWork, reader: NamespaceReader): Promise<T[]> {
    const { kind, referencesOf } = this.#options;
    if (work.all) return (await reader.list(kind)) as T[];
    const named = await Promise.all(
      [...work.names].map(name => reader.get(kind, name)),
    );
    const referring =
      work.referred.size && referencesOf
        ? ((await reader.list(kind)) as T[]).filter(
            object =>
              !work.names.has(object.metadata.name) &&
              referencesOf(object).some(ref =>
                work.referred.has(`${ref.kind}/${ref.name}`),
              ),
          )
        : [];
    return [
      ...named.filter((o): o is StoredResource => o !== undefined),
      ...referring,
    ] as T[];
  }

  /** Reconciles objects one by one; an object that fails is queued again for the next round. */
  async #reconcileEach(objects: T[], reader: NamespaceReader) {
    for (const object of objects) {
      const { namespace, name } = object.metadata;
      try {
        await this.#reconcile(object, reader);
      } catch (error) {
        this.#options.logger.warn(
          `Could not reconcile ${object.kind} ${namespace}/${name}; it is retried on the next pass`,
          isError(error) ? error : undefined,
        );
        this.#queue.addNames(namespace, [name]);
      }
    }
  }

  async #reconcile(object: T, reader: NamespaceReader) {
    const status = await this.#options.statusOf(object, reader);
    if (jsonEqual(status, object.status)) return;
    let written: StoredResource;
    try {
      written = await this.#options.store.updateStatus(
        { ...object, status } as StoredResource,
        { actor: this.#options.actor },
      );
    } catch (error) {
      // The object changed or went away since it was read; the feed brings that change.
      if (
        isError(error) &&
        (error.name === 'ConflictError' || error.name === 'NotFoundError')
      ) {
        return;
      }
      throw error;
    }
    const { namespace, name } = object.metadata;
    this.#echoes.set(`${namespace}/${name}`, written.metadata.resourceVersion!);
    this.#options.onWritten?.(object, written as T);
  }
}
