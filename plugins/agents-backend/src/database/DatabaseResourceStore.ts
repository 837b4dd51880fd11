import { isDatabaseConflictError } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { AgentKindDefinition, findKind } from '@krate/plugin-agents-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { digestOf, jsonEqual } from '../resources/digest';
import { matchesLabels } from '../resources/labelSelector';
import {
  ChangesResult,
  ListOptions,
  ListResult,
  ResourceExpiredError,
  ResourceStore,
  StoredResource,
  WatchEvent,
  WatchEventType,
  WriteContext,
  WriteOptions,
} from '../resources/ResourceStore';
import { AuditStore } from './AuditStore';
import { decodeContinueToken, encodeContinueToken } from './continueToken';
import { ResourceVersions, resourceVersionsFor } from './ResourceVersions';
import { CHANGES, VersionedWrite, writeVersioned } from './writeVersioned';
import {
  CONFIG_TABLE,
  EXECUTION_TABLES,
  INDEX_COLUMN_LENGTHS,
  INDEX_COLUMNS,
} from './tables';

interface ObjectRow {
  kind?: string;
  namespace: string;
  name: string;
  uid: string;
  resource_version: string | number;
  generation: number;
  created_at: Date | string | number;
  object: string;
  repository?: string | null;
  stack?: string | null;
  phase?: string | null;
  source?: string | null;
}

/** What a list reads of each row: the object and its cursor. */
type ListRow = Pick<
  ObjectRow,
  'namespace' | 'name' | 'created_at' | 'object' | 'resource_version'
>;

interface Layout {
  definition: AgentKindDefinition;
  table: string;
  isConfig: boolean;
}

const COUNTERS = 'agents_counters';

function readPath(object: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (value, key) =>
        value && typeof value === 'object'
          ? (value as Record<string, unknown>)[key]
          : undefined,
      object,
    );
}

function toMillis(value: Date | string | number): number {
  return typeof value === 'number' ? value : new Date(value).getTime();
}

/** The embedded ResourceStore: every kind in the plugin's database. */
export class DatabaseResourceStore implements ResourceStore {
  readonly #knex: Knex;
  readonly #audit: AuditStore;
  readonly #versions: ResourceVersions;
  readonly #changes = new EventEmitter().setMaxListeners(0);
  readonly #isPostgres: boolean;

  constructor(options: { knex: Knex; audit: AuditStore }) {
    this.#knex = options.knex;
    this.#isPostgres = options.knex.client.config.client === 'pg';
    this.#audit = options.audit;
    this.#versions = resourceVersionsFor(options.knex);
  }

  #layout(kind: string): Layout {
    const definition = findKind(kind);
    if (!definition) {
      throw new InputError(`kind: unknown kind '${kind}'`);
    }
    const isConfig = definition.category === 'configuration';
    const table = isConfig ? CONFIG_TABLE : EXECUTION_TABLES[kind];
    return { definition, table, isConfig };
  }

  #rows(layout: Layout, db: Knex | Knex.Transaction = this.#knex) {
    const query = db<ObjectRow>(layout.table);
    return layout.isConfig
      ? query.where('kind', layout.definition.kind)
      : query;
  }

  async get(kind: string, namespace: string, name: string) {
    const layout = this.#layout(kind);
    const row = await this.#rows(layout).where({ namespace, name }).first();
    return row ? parseObject(row) : undefined;
  }

  async findByName(kind: string, name: string) {
    const layout = this.#layout(kind);
    const rows = await this.#rows(layout).where({ name }).limit(2);
    return rows.map(parseObject);
  }

  /** One sequence for every kind: `kind` does not matter here. */
  async currentResourceVersion(_kind: string): Promise<string> {
    return String(await this.#versions.horizon());
  }

  async latestResourceVersion(_kind: string): Promise<string> {
    return String(await this.#versions.latest());
  }

  async list(kind: string, options: ListOptions): Promise<ListResult> {
    const layout = this.#layout(kind);
    const { limit, labelSelector } = options;
    const items: StoredResource[] = [];
    // A list by change pages in another order: its tokens are not the other list's.
    const tokenKind =
      options.changedAfter === undefined ? kind : `${kind}/changed`;
    let cursor = options.continueToken
      ? decodeContinueToken(options.continueToken, tokenKind)
      : undefined;
    // Taken before the rows are read: every change up to it is on the page, and a watch from it
    // sees every later one (a change already on the page may arrive once more).
    const resourceVersion = options.withResourceVersion
      ? await this.currentResourceVersion(kind)
      : undefined;
    // Over-fetch so a label selector that filters in memory still fills the page.
    const batch = labelSelector?.length ? Math.max(limit * 4, 100) : limit + 1;
    for (;;) {
      const rows = (await this.#listQuery(layout, options, cursor).limit(
        batch,
      )) as unknown as ListRow[];
      let scanned = 0;
      for (const row of rows) {
        scanned++;
        const object = parseObject(row);
        if (
          labelSelector &&
          !matchesLabels(object.metadata.labels, labelSelector)
        ) {
          cursor = this.#cursorOf(layout, options, row);
          continue;
        }
        if (items.length === limit) {
          return {
            items,
            continueToken: encodeContinueToken(tokenKind, cursor!),
            resourceVersion,
          };
        }
        items.push(object);
        cursor = this.#cursorOf(layout, options, row);
      }
      if (scanned < batch) {
        return { items, resourceVersion };
      }
    }
  }

  #cursorOf(
    layout: Layout,
    options: ListOptions,
    row: ListRow,
  ): (string | number)[] {
    if (options.changedAfter !== undefined) {
      return [Number(row.resource_version), row.name];
    }
    return layout.isConfig
      ? [row.namespace, row.name]
      : [toMillis(row.created_at), row.name];
  }

  #listQuery(
    layout: Layout,
    options: ListOptions,
    cursor?: (string | number)[],
  ) {
    const query = this.#rows(layout).select(
      'namespace',
      'name',
      'created_at',
      'object',
      'resource_version',
    );
    if (options.namespace) {
      query.where('namespace', options.namespace);
    }
    if (options.allowedNamespaces) {
      query.whereIn('namespace', options.allowedNamespaces);
    }
    for (const column of INDEX_COLUMNS) {
      const value = options.fieldFilters?.[column];
      if (value === undefined) continue;
      if (layout.isConfig || !layout.definition.indexes?.[column]) {
        throw new InputError(
          `${column}: ${layout.definition.kind} cannot be filtered by ${column}`,
        );
      }
      query.where(column, value);
    }
    if (options.changedAfter !== undefined) {
      // Resource versions are unique across kinds, so the version alone orders the page.
      query.where('resource_version', '>', Number(options.changedAfter));
      if (cursor) {
        query.where('resource_version', '<', Number(cursor[0]));
      }
      return query.orderBy('resource_version', 'desc');
    }
    if (layout.isConfig) {
      if (cursor) {
        const [namespace, name] = cursor as string[];
        query.where(q =>
          q
            .where('namespace', '>', namespace)
            .orWhere(q2 =>
              q2.where('namespace', namespace).andWhere('name', '>', name),
            ),
        );
      }
      return query.orderBy([
        { column: 'namespace', order: 'asc' },
        { column: 'name', order: 'asc' },
      ]);
    }
    if (cursor) {
      const [millis, name] = cursor as [number, string];
      const createdAt = new Date(millis);
      query.where(q =>
        q
          .where('created_at', '<', createdAt)
          .orWhere(q2 =>
            q2.where('created_at', createdAt).andWhere('name', '<', name),
          ),
      );
    }
    return query.orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'name', order: 'desc' },
    ]);
  }

  async create(
    object: StoredResource,
    context: WriteContext,
    options: WriteOptions = {},
  ) {
    const layout = this.#layout(object.kind);
    const { namespace, name } = object.metadata;
    const now = new Date();
    const created: StoredResource = {
      apiVersion: object.apiVersion,
      kind: object.kind,
      metadata: {
        ...object.metadata,
        uid: randomUUID(),
        generation: 1,
        creationTimestamp: now.toISOString(),
      },
      spec: object.spec,
      // Configuration status belongs to controllers (status subresource); records are
      // created by controllers together with their first status.
      ...(layout.isConfig || !object.status ? {} : { status: object.status }),
    };
    const row = this.#toRow(layout, created, now);
    if (options.dryRun) {
      if (await this.#rows(layout).where({ namespace, name }).first('name')) {
        throw alreadyExists(object);
      }
      return created;
    }
    const write: VersionedWrite = {
      table: layout.table,
      operation: 'insert',
      columns: row,
      change: changeOf('ADDED', created, row.object),
      audit: {
        actor: context.actor,
        action: 'create',
        target: { kind: object.kind, namespace, name },
        afterDigest: contentDigestOf(created),
      },
    };
    try {
      // One statement on PostgreSQL needs no transaction around it.
      const version = this.#isPostgres
        ? await this.#writeVersioned(this.#knex, write)
        : await this.#knex.transaction(tx => this.#writeVersioned(tx, write));
      this.#changes.emit('change');
      created.metadata.resourceVersion = String(version);
      return created;
    } catch (error) {
      if (isDatabaseConflictError(error)) {
        throw alreadyExists(object);
      }
      throw error;
    }
  }

  update(
    object: StoredResource,
    context: WriteContext,
    options: WriteOptions = {},
  ) {
    return this.#modify(object, context, 'update', options, stored => {
      const specChanged = !jsonEqual(stored.spec, object.spec);
      return {
        ...stored,
        metadata: {
          ...stored.metadata,
          labels: object.metadata.labels,
          annotations: object.metadata.annotations,
          ownerReferences: object.metadata.ownerReferences,
          generation: (stored.metadata.generation ?? 1) + (specChanged ? 1 : 0),
        },
        spec: object.spec,
      };
    });
  }

  updateStatus(object: StoredResource, context: WriteContext) {
    return this.#modify(object, context, 'update-status', {}, stored => ({
      ...stored,
      status: object.status,
    }));
  }

  patchStatus(
    ref: { kind: string; namespace: string; name: string },
    change: (status: Record<string, any>) => Record<string, any>,
    context: WriteContext,
  ) {
    return this.#modify(
      { kind: ref.kind, metadata: ref },
      context,
      'update-status',
      {},
      stored => ({ ...stored, status: change({ ...(stored.status ?? {}) }) }),
    );
  }

  async #modify(
    object: Pick<StoredResource, 'kind' | 'metadata'>,
    context: WriteContext,
    action: string,
    options: WriteOptions,
    change: (stored: StoredResource) => StoredResource,
  ): Promise<StoredResource> {
    const layout = this.#layout(object.kind);
    const { namespace, name, resourceVersion } = object.metadata;
    if (options.dryRun) {
      return this.#knex.transaction(async tx => {
        const stored = await this.#lockedGet(tx, layout, namespace, name);
        checkPrecondition(stored, resourceVersion);
        const next = change(stored);
        this.#toRow(layout, next, new Date(stored.metadata.creationTimestamp!));
        return next;
      });
    }
    return this.#write(async tx => {
      const stored = await this.#lockedGet(tx, layout, namespace, name);
      checkPrecondition(stored, resourceVersion);
      const next = change(stored);
      if (jsonEqual(next, stored)) {
        return stored;
      }
      const row = this.#toRow(
        layout,
        next,
        new Date(stored.metadata.creationTimestamp!),
      );
      const version = await this.#writeVersioned(tx, {
        table: layout.table,
        operation: 'update',
        columns: {
          generation: row.generation,
          object: row.object,
          ...(layout.isConfig ? {} : pickIndexColumns(row)),
        },
        where: this.#whereOf(layout, namespace, name),
        change: changeOf('MODIFIED', next, row.object),
        audit: {
          actor: context.actor,
          action,
          target: { kind: object.kind, namespace, name },
          beforeDigest: contentDigestOf(stored),
          afterDigest: contentDigestOf(next),
        },
      });
      next.metadata.resourceVersion = String(version);
      return next;
    });
  }

  async delete(
    kind: string,
    namespace: string,
    name: string,
    context: WriteContext,
    options: WriteOptions = {},
  ) {
    const layout = this.#layout(kind);
    if (options.dryRun) {
      return this.#knex.transaction(async tx => {
        const stored = await this.#lockedGet(tx, layout, namespace, name);
        checkPrecondition(stored, options.resourceVersion);
        return stored;
      });
    }
    return this.#write(async tx => {
      const stored = await this.#lockedGet(tx, layout, namespace, name);
      checkPrecondition(stored, options.resourceVersion);
      const version = await this.#writeVersioned(tx, {
        table: layout.table,
        operation: 'delete',
        where: this.#whereOf(layout, namespace, name),
        change: changeOf('DELETED', stored, serialize(stored)),
        audit: {
          actor: context.actor,
          action: 'delete',
          target: { kind, namespace, name },
          beforeDigest: contentDigestOf(stored),
        },
      });
      return {
        ...stored,
        metadata: { ...stored.metadata, resourceVersion: String(version) },
      };
    });
  }

  async changesSince(
    kind: string,
    options: { resourceVersion: string; namespace?: string; limit: number },
  ): Promise<ChangesResult> {
    this.#layout(kind);
    const from = Number(options.resourceVersion);
    if (!Number.isSafeInteger(from) || from < 0) {
      throw new InputError('resourceVersion: must be a non-negative integer');
    }
    const [current, compactedThrough] = await Promise.all([
      this.#versions.horizon(),
      this.#counter(this.#knex, 'compactedThrough'),
    ]);
    if (from < compactedThrough) {
      throw new ResourceExpiredError(
        `resourceVersion ${from} is too old: changes up to ${compactedThrough} were compacted; list again and watch from the list's resourceVersion`,
      );
    }
    const query = this.#knex(CHANGES)
      .where('kind', kind)
      .andWhere('resource_version', '>', from)
      .andWhere('resource_version', '<=', current)
      .orderBy('resource_version', 'asc')
      .limit(options.limit);
    if (options.namespace) {
      query.where('namespace', options.namespace);
    }
    const rows: {
      resource_version: string | number;
      type: WatchEventType;
      object: string;
    }[] = await query;
    const events: WatchEvent[] = rows.map(row => ({
      type: row.type,
      object: parseObject(row),
    }));
    const last = rows[rows.length - 1];
    const next =
      rows.length === options.limit ? Number(last.resource_version) : current;
    return { events, resourceVersion: String(Math.max(next, from)) };
  }

  /** Drops changes so that at most `retain` resource versions stay watchable. */
  async compactChanges(retain: number): Promise<number> {
    const current = await this.#versions.horizon();
    return this.#knex.transaction<number>(async tx => {
      const through = current - retain;
      if (through <= (await this.#counter(tx, 'compactedThrough'))) {
        return 0;
      }
      await tx(COUNTERS)
        .where({ name: 'compactedThrough' })
        .update({ value: through });
      return Number(
        await tx(CHANGES).where('resource_version', '<=', through).delete(),
      );
    });
  }

  waitForChange(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise(resolve => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const done = () => {
        clearTimeout(timer);
        this.#changes.off('change', done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      timer = setTimeout(done, timeoutMs);
      this.#changes.once('change', done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  async #write<T>(work: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
    const result = await this.#knex.transaction(work);
    this.#changes.emit('change');
    return result;
  }

  async #lockedGet(
    tx: Knex.Transaction,
    layout: Layout,
    namespace: string,
    name: string,
  ) {
    const query = this.#rows(layout, tx).where({ namespace, name });
    if (this.#isPostgres) {
      query.forUpdate();
    }
    const row = await query.first();
    if (!row) {
      throw new NotFoundError(
        `${layout.definition.kind} ${namespace}/${name} not found`,
      );
    }
    return parseObject(row);
  }

  async #counter(db: Knex | Knex.Transaction, name: string): Promise<number> {
    const row = await db(COUNTERS).where({ name }).first('value');
    return Number(row.value);
  }

  #writeVersioned(db: Knex | Knex.Transaction, write: VersionedWrite) {
    return writeVersioned(db, this.#versions, this.#audit, write);
  }

  #whereOf(layout: Layout, namespace: string, name: string) {
    return layout.isConfig
      ? { kind: layout.definition.kind, namespace, name }
      : { namespace, name };
  }

  /** The row's columns but its resource_version, which the write adds. */
  #toRow(
    layout: Layout,
    object: StoredResource,
    createdAt: Date,
  ): Omit<ObjectRow, 'resource_version'> {
    const row: Omit<ObjectRow, 'resource_version'> = {
      namespace: object.metadata.namespace,
      name: object.metadata.name,
      uid: object.metadata.uid!,
      generation: object.metadata.generation!,
      created_at: createdAt,
      object: serialize(object),
    };
    if (layout.isConfig) {
      row.kind = object.kind;
      return row;
    }
    for (const column of INDEX_COLUMNS) {
      const path = layout.definition.indexes?.[column];
      const value = path ? readPath(object, path) : undefined;
      if (
        typeof value === 'string' &&
        value.length > INDEX_COLUMN_LENGTHS[column]
      ) {
        throw new InputError(
          `${path}: must be at most ${INDEX_COLUMN_LENGTHS[column]} characters`,
        );
      }
      row[column] = typeof value === 'string' ? value : null;
    }
    return row;
  }
}

function pickIndexColumns(row: Omit<ObjectRow, 'resource_version'>) {
  return Object.fromEntries(INDEX_COLUMNS.map(c => [c, row[c] ?? null]));
}

/**
 * An object as its row stores it: without its resourceVersion, which has a column of its own,
 * so that a write can take its version in the statement that writes it (see writeVersioned).
 */
function serialize(object: StoredResource): string {
  const { resourceVersion: _inColumn, ...metadata } = object.metadata;
  return JSON.stringify({ ...object, metadata });
}

function parseObject(
  row: Pick<ObjectRow, 'object' | 'resource_version'>,
): StoredResource {
  const object = JSON.parse(row.object);
  object.metadata.resourceVersion = String(row.resource_version);
  return object;
}

/**
 * The audit's digest of an object: its content, leaving out the resourceVersion it is stored at.
 * The Kubernetes store's audit records use it too.
 */
export function contentDigestOf(object: StoredResource): string {
  const { resourceVersion: _version, ...metadata } = object.metadata;
  return digestOf({ ...object, metadata });
}

function changeOf(
  type: WatchEventType,
  object: StoredResource,
  serialized: string,
): VersionedWrite['change'] {
  return {
    type,
    kind: object.kind,
    namespace: object.metadata.namespace,
    name: object.metadata.name,
    object: serialized,
  };
}

function alreadyExists(object: StoredResource) {
  return new ConflictError(
    `${object.kind} ${object.metadata.namespace}/${object.metadata.name} already exists`,
  );
}

function checkPrecondition(stored: StoredResource, resourceVersion?: string) {
  if (
    resourceVersion !== undefined &&
    resourceVersion !== stored.metadata.resourceVersion
  ) {
    throw new ConflictError(
      `${stored.kind} ${stored.metadata.namespace}/${stored.metadata.name} was modified: the request has resourceVersion ${resourceVersion}, the stored object ${stored.metadata.resourceVersion}; read it again and retry`,
    );
  }
}
