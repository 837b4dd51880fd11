import { AgentsObject, ExecutionIndexes } from '@krate/plugin-agents-common';

/** Any object of the agents.krate.dev API group, as stored. */
export type StoredResource = AgentsObject;

/** Who is writing, for the audit trail. */
export interface WriteContext {
  /** Entity ref of the user or service. */
  actor: string;
}

export interface ListOptions {
  namespace?: string;
  /** Kubernetes label selector syntax, already parsed. */
  labelSelector?: LabelRequirement[];
  /** Execution kinds: equality filters on their indexed fields. */
  fieldFilters?: Partial<Record<keyof ExecutionIndexes, string>>;
  /** Only objects in these namespaces (from a conditional permission decision). */
  allowedNamespaces?: string[];
  limit: number;
  continueToken?: string;
  /**
   * Only objects written after this resource version, the latest write first (the continue token
   * follows that order). An incremental reader (the search collators) passes the resourceVersion
   * of its previous list and reads only what changed since; `'0'` reads the latest writes.
   */
  changedAfter?: string;
  /**
   * Answer the store's resource version too, for a client that will watch from the list. Off
   * for the backend's own lists: on PostgreSQL it waits for the writes in flight to end.
   */
  withResourceVersion?: boolean;
}

export interface ListResult {
  items: StoredResource[];
  /** Present when there are more items. */
  continueToken?: string;
  /** With `withResourceVersion`: the store's resource version when the list was read; watch from here. */
  resourceVersion?: string;
}

export interface LabelRequirement {
  key: string;
  operator: 'in' | 'notin' | 'exists' | 'doesnotexist';
  values: string[];
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent {
  type: WatchEventType;
  object: StoredResource;
  /**
   * The store's version of this change, which a watch resumes from. Absent when it is the
   * object's own resourceVersion (the database store); the Kubernetes store keeps the cluster's
   * resourceVersion on the object and numbers its changes apart.
   */
  resourceVersion?: string;
}

export interface ChangesResult {
  events: WatchEvent[];
  /** The resource version the next call continues from. */
  resourceVersion: string;
}

/** Preconditions and mode of a write. */
export interface WriteOptions {
  /** The write fails with a conflict unless the stored object has this resource version. */
  resourceVersion?: string;
  /**
   * Runs every check of the write and answers what it would store, storing nothing: no change,
   * no audit record (Kubernetes' `dryRun=All`).
   */
  dryRun?: boolean;
}

/**
 * Stores resources of every kind. The database store is the embedded default; a Kubernetes store
 * can serve configuration kinds behind the same interface, so nothing above it may assume SQL.
 */
export interface ResourceStore {
  list(kind: string, options: ListOptions): Promise<ListResult>;
  get(
    kind: string,
    namespace: string,
    name: string,
  ): Promise<StoredResource | undefined>;
  /** Finds an execution record by name alone; names carry a random suffix. */
  findByName(kind: string, name: string): Promise<StoredResource[]>;
  /** Honours `options.dryRun`; the object's own resourceVersion is ignored. */
  create(
    object: StoredResource,
    context: WriteContext,
    options?: WriteOptions,
  ): Promise<StoredResource>;
  /**
   * Replaces metadata labels/annotations and spec; status is kept (status subresource). The
   * object's `metadata.resourceVersion`, when present, is the precondition. Honours
   * `options.dryRun`.
   */
  update(
    object: StoredResource,
    context: WriteContext,
    options?: WriteOptions,
  ): Promise<StoredResource>;
  /** Replaces status only. */
  updateStatus(
    object: StoredResource,
    context: WriteContext,
  ): Promise<StoredResource>;
  /**
   * Replaces status with `change` of the stored status, read and written in one transaction with
   * the object locked, so no other write can come in between. `change` must be synchronous.
   */
  patchStatus(
    ref: { kind: string; namespace: string; name: string },
    change: (status: Record<string, any>) => Record<string, any>,
    context: WriteContext,
  ): Promise<StoredResource>;
  delete(
    kind: string,
    namespace: string,
    name: string,
    context: WriteContext,
    options?: WriteOptions,
  ): Promise<StoredResource>;
  /**
   * Changes of a kind after `resourceVersion`, oldest first. Throws ResourceExpiredError when
   * changes after that version were compacted away.
   */
  changesSince(
    kind: string,
    options: { resourceVersion: string; namespace?: string; limit: number },
  ): Promise<ChangesResult>;
  /** Resolves on the next write of any kind (or after `timeoutMs`), so watchers need not spin. */
  waitForChange(timeoutMs: number, signal?: AbortSignal): Promise<void>;
  /**
   * The version a watch of `kind` continues from: every change of that kind up to it has been
   * made. Versions of kinds kept in different stores are unrelated sequences, so compare a kind's
   * cursor only with its own kind's version.
   */
  currentResourceVersion(kind: string): Promise<string>;
  /**
   * The last resource version of the kind handed out, committed or not: a reader that waits
   * until it has seen changes up to it has seen every write that committed before it asked. Where
   * versions commit in order (or a store cannot tell), the current resource version.
   */
  latestResourceVersion?(kind: string): Promise<string>;
}

/** A watch asked for changes the store no longer has: the client must list again. */
export class ResourceExpiredError extends Error {
  readonly name = 'ResourceExpiredError';
}
