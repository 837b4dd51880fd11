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
type ListRow = Pick<ObjectRow, 'namespace' | 'name' | 'created_at' | 'object'>;

interface Layout {
  definition: AgentKindDefinition;
  table: string;
  isConfig: boolean;
}

const COUNTERS = 'agents_counters';
const CHANGES = 'agents_changes';

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

  constructor(options: { knex: Knex; audit: AuditStore }) {
    this.#knex = options.knex;
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

  async currentResourceVersion(): Promise<string> {
    return String(await this.#versions.horizon());
  }

  async list(kind: string, options: ListOptions): Promise<ListResult> {
    const layout = this.#layout(kind);
    const { limit, labelSelector } = options;
    const items: StoredResource[] = [];
    let cursor = options.continueToken
      ? decodeContinueToken(options.continueToken, kind)
      : undefined;
    // Taken before the rows are read: every change up to it is on the page, and a watch from it
    // sees every later one (a change already on the page may arrive once more).
    const resourceVersion = await this.currentResourceVersion();
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
          cursor = this.#cursorOf(layout, row);
          continue;
        }
        if (items.length === limit) {
          return {
            items,
            continueToken: encodeContinueToken(kind, cursor!),
            resourceVersion,
          };
        }
        items.push(object);
        cursor = this.#cursorOf(layout, row);
      }
      if (scanned < batch) {
        return { items, resourceVersion };
      }
    }
  }

  #cursorOf(layout: Layout, row: ListRow): (string | number)[] {
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

  async create(object: StoredResource, context: WriteContext) {
    const layout = this.#layout(object.kind);
    const { namespace, name } = object.metadata;
    const now = new Date();
    try {
      return await this.#write(async tx => {
        const resourceVersion = await this.#nextResourceVersion(tx);
        const created: StoredResource = {
          apiVersion: object.apiVersion,
          kind: object.kind,
          metadata: {
            ...object.metadata,
            uid: randomUUID(),
            resourceVersion: String(resourceVersion),
            generation: 1,
            creationTimestamp: now.toISOString(),
          },
          spec: object.spec,
          // Configuration status belongs to controllers (status subresource); records are
          // created by controllers together with their first status.
          ...(layout.isConfig || !object.status
            ? {}
            : { status: object.status }),
        };
        await tx(layout.table).insert(this.#toRow(layout, created, now));
        await this.#recordChange(tx, 'ADDED', created, resourceVersion);
        await this.#audit.append(
          {
            actor: context.actor,
            action: 'create',
            target: { kind: object.kind, namespace, name },
            afterDigest: digestOf(created),
          },
          tx,
        );
        return created;
      });
    } catch (error) {
      if (isDatabaseConflictError(error)) {
        throw new ConflictError(
          `${object.kind} ${namespace}/${name} already exists`,
        );
      }
      throw error;
    }
  }

  update(object: StoredResource, context: WriteContext) {
    return this.#modify(object, context, 'update', stored => {
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
    return this.#modify(object, context, 'update-status', stored => ({
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
      stored => ({ ...stored, status: change({ ...(stored.status ?? {}) }) }),
    );
  }

  async #modify(
    object: Pick<StoredResource, 'kind' | 'metadata'>,
    context: WriteContext,
    action: string,
    change: (stored: StoredResource) => StoredResource,
  ): Promise<StoredResource> {
    const layout = this.#layout(object.kind);
    const { namespace, name, resourceVersion } = object.metadata;
    return this.#write(async tx => {
      const stored = await this.#lockedGet(tx, layout, namespace, name);
      checkPrecondition(stored, resourceVersion);
      const next = change(stored);
      if (jsonEqual(next, stored)) {
        return stored;
      }
      const nextVersion = await this.#nextResourceVersion(tx);
      next.metadata.resourceVersion = String(nextVersion);
      const row = this.#toRow(
        layout,
        next,
        new Date(stored.metadata.creationTimestamp!),
      );
      await this.#rows(layout, tx)
        .where({ namespace, name })
        .update({
          resource_version: row.resource_version,
          generation: row.generation,
          object: row.object,
          ...(layout.isConfig ? {} : pickIndexColumns(row)),
        });
      await this.#recordChange(tx, 'MODIFIED', next, nextVersion);
      await this.#audit.append(
        {
          actor: context.actor,
          action,
          target: { kind: object.kind, namespace, name },
          beforeDigest: digestOf(stored),
          afterDigest: digestOf(next),
        },
        tx,
      );
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
    return this.#write(async tx => {
      const stored = await this.#lockedGet(tx, layout, namespace, name);
      checkPrecondition(stored, options.resourceVersion);
      const nextVersion = await this.#nextResourceVersion(tx);
      await this.#rows(layout, tx).where({ namespace, name }).delete();
      const deleted = {
        ...stored,
        metadata: { ...stored.metadata, resourceVersion: String(nextVersion) },
      };
      await this.#recordChange(tx, 'DELETED', deleted, nextVersion);
      await this.#audit.append(
        {
          actor: context.actor,
          action: 'delete',
          target: { kind, namespace, name },
          beforeDigest: digestOf(stored),
        },
        tx,
      );
      return deleted;
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
      object: JSON.parse(row.object),
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
    if (tx.client.config.client === 'pg') {
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

  #nextResourceVersion(tx: Knex.Transaction): Promise<number> {
    return this.#versions.next(tx);
  }

  async #recordChange(
    tx: Knex.Transaction,
    type: WatchEventType,
    object: StoredResource,
    resourceVersion: number,
  ) {
    await tx(CHANGES).insert({
      resource_version: resourceVersion,
      kind: object.kind,
      namespace: object.metadata.namespace,
      name: object.metadata.name,
      type,
      object: JSON.stringify(object),
    });
  }

  #toRow(layout: Layout, object: StoredResource, createdAt: Date): ObjectRow {
    const row: ObjectRow = {
      namespace: object.metadata.namespace,
      name: object.metadata.name,
      uid: object.metadata.uid!,
      resource_version: object.metadata.resourceVersion!,
      generation: object.metadata.generation!,
      created_at: createdAt,
      object: JSON.stringify(object),
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

function pickIndexColumns(row: ObjectRow) {
  return Object.fromEntries(INDEX_COLUMNS.map(c => [c, row[c] ?? null]));
}

function parseObject(row: Pick<ObjectRow, 'object'>): StoredResource {
  return JSON.parse(row.object);
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
