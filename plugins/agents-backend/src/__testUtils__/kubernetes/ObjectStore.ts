import { cloneJson, KubeObject, objectKey } from './kubeObjects';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change, as the watch history keeps it. */
export interface StoredChange {
  type: WatchEventType;
  resourceVersion: number;
  typeKey: string;
  object: KubeObject;
  /** The object before a MODIFIED change, to tell selector transitions apart. */
  previous?: KubeObject;
}

export type ChangeListener = (change: StoredChange) => void;

/**
 * All objects of the double, etcd-like: one global, monotonically increasing resourceVersion
 * that every write consumes, and a bounded history of changes that watches replay from.
 */
export class ObjectStore {
  private revision = 1;
  /** The oldest resourceVersion a watch can start from; older ones answer 410 Gone. */
  private oldestWatchable = 1;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private history: StoredChange[] = [];
  private readonly listeners = new Set<ChangeListener>();

  constructor(private readonly historyLimit: number) {}

  get currentRevision() {
    return this.revision;
  }

  get oldestWatchableRevision() {
    return this.oldestWatchable;
  }

  get(typeKey: string, namespace: string | undefined, name: string) {
    const found = this.objects.get(typeKey)?.get(objectKey(namespace, name));
    return found && cloneJson(found);
  }

  /** The objects of a type (in a namespace, when given), ordered by namespace and name. */
  list(typeKey: string, namespace?: string): KubeObject[] {
    const all = [...(this.objects.get(typeKey)?.entries() ?? [])];
    return all
      .filter(
        ([, o]) =>
          namespace === undefined || o.metadata.namespace === namespace,
      )
      .sort(([a], [b]) => a.localeCompare(b, 'en'))
      .map(([, o]) => cloneJson(o));
  }

  /** Stores a new object; assigns its resourceVersion. */
  create(typeKey: string, object: KubeObject): KubeObject {
    const stored = this.stamp(object);
    this.bucket(typeKey).set(this.keyOf(stored), stored);
    this.record({ type: 'ADDED', typeKey, object: stored });
    return cloneJson(stored);
  }

  update(typeKey: string, object: KubeObject): KubeObject {
    const key = this.keyOf(object);
    const previous = this.bucket(typeKey).get(key);
    const stored = this.stamp(object);
    this.bucket(typeKey).set(key, stored);
    this.record({ type: 'MODIFIED', typeKey, object: stored, previous });
    return cloneJson(stored);
  }

  remove(typeKey: string, object: KubeObject): KubeObject {
    this.bucket(typeKey).delete(this.keyOf(object));
    const stored = this.stamp(object);
    this.record({ type: 'DELETED', typeKey, object: stored });
    return cloneJson(stored);
  }

  /** Drops every object of a type (a deleted CRD takes its objects along). */
  removeAll(typeKey: string) {
    for (const object of this.list(typeKey)) this.remove(typeKey, object);
    this.objects.delete(typeKey);
  }

  /** The changes after `resourceVersion`, or `undefined` when they are no longer kept. */
  changesSince(resourceVersion: number): StoredChange[] | undefined {
    if (resourceVersion < this.oldestWatchable) return undefined;
    return this.history.filter(c => c.resourceVersion > resourceVersion);
  }

  /**
   * Forgets the history and consumes one resourceVersion, so that even a client that saw the
   * latest change has to relist.
   */
  compact() {
    this.revision += 1;
    this.history = [];
    this.oldestWatchable = this.revision;
  }

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private stamp(object: KubeObject): KubeObject {
    this.revision += 1;
    const stored = cloneJson(object);
    stored.metadata.resourceVersion = String(this.revision);
    return stored;
  }

  private record(change: Omit<StoredChange, 'resourceVersion'>) {
    const full: StoredChange = {
      ...change,
      resourceVersion: this.revision,
    };
    this.history.push(full);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(
        0,
        this.history.length - this.historyLimit,
      );
      this.oldestWatchable = dropped[dropped.length - 1].resourceVersion;
    }
    for (const listener of [...this.listeners]) listener(full);
  }

  private bucket(typeKey: string) {
    let bucket = this.objects.get(typeKey);
    if (!bucket) {
      bucket = new Map();
      this.objects.set(typeKey, bucket);
    }
    return bucket;
  }

  private keyOf(object: KubeObject) {
    return objectKey(object.metadata.namespace, object.metadata.name ?? '');
  }
}
