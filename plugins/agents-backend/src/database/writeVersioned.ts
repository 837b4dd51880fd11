import { Knex } from 'knex';
import { WatchEventType } from '../resources/ResourceStore';
import { AuditStore, NewAuditRecord } from './AuditStore';
import { ResourceVersions } from './ResourceVersions';
import { NEXT_VERSION_QUERY } from './SequenceResourceVersions';

export const CHANGES = 'agents_changes';

/** One row written under a new resource version, with the change it makes and its audit record. */
export interface VersionedWrite {
  table: string;
  operation: 'insert' | 'update' | 'delete';
  /** The row (insert) or the columns to set (update); resource_version is added. */
  columns?: Record<string, unknown>;
  /** The row to update or delete. */
  where?: Record<string, unknown>;
  /** The change feed's row; `object` is serialized without its resourceVersion. */
  change: {
    type: WatchEventType;
    kind: string;
    namespace: string;
    name: string;
    object: string;
  };
  audit: NewAuditRecord;
}

/**
 * Runs a versioned write and answers its version. On PostgreSQL it is one statement — the
 * version, the row, the change and the audit record as data-modifying CTEs — which commits on
 * its own when `db` is not a transaction: a create costs one round trip. SQLite has no such CTEs
 * and takes versions from a locked counter, so there `db` must be a transaction and the parts run
 * one after the other.
 */
export async function writeVersioned(
  db: Knex | Knex.Transaction,
  versions: ResourceVersions,
  audit: AuditStore,
  write: VersionedWrite,
): Promise<number> {
  if (db.client.config.client === 'pg') {
    const { sql, bindings } = postgresStatement(db, audit, write);
    const { rows } = await db.raw(sql, bindings as Knex.RawBinding[]);
    return Number(rows[0].value);
  }
  const tx = db as Knex.Transaction;
  const version = await versions.next(tx);
  const { table, columns, where } = write;
  if (write.operation === 'insert') {
    await tx(table).insert({ ...columns, resource_version: version });
  } else if (write.operation === 'update') {
    await tx(table)
      .where(where!)
      .update({ ...columns, resource_version: version });
  } else {
    await tx(table).where(where!).delete();
  }
  await tx(CHANGES).insert({ ...write.change, resource_version: version });
  await audit.append(write.audit, tx);
  return version;
}

function postgresStatement(
  db: Knex | Knex.Transaction,
  audit: AuditStore,
  write: VersionedWrite,
) {
  const { type, kind, namespace, name, object } = write.change;
  const recordedAudit = audit.insertQuery(write.audit, db).toSQL();
  const written = writeSql(write);
  // offset 0 in the version query keeps the transaction id taken before nextval; the version
  // CTE is evaluated once, however many parts use it.
  return {
    sql: `with version as (${NEXT_VERSION_QUERY.sql}),
      recorded_change as (
        insert into ${CHANGES} (kind, namespace, name, type, object, resource_version)
        select ?, ?, ?, ?, ?, value from version),
      recorded_audit as (${recordedAudit.sql}),
      written as (${written.sql})
      select value from version`.replace(/\s+/g, ' '),
    bindings: [
      ...NEXT_VERSION_QUERY.bindings,
      kind,
      namespace,
      name,
      type,
      object,
      ...recordedAudit.bindings,
      ...written.bindings,
    ],
  };
}

function writeSql(write: VersionedWrite): {
  sql: string;
  bindings: unknown[];
} {
  const columns = Object.entries(write.columns ?? {});
  const where = Object.entries(write.where ?? {});
  const whereSql = where.map(() => '?? = ?').join(' and ');
  const whereBindings = where.flat();
  if (write.operation === 'insert') {
    return {
      sql: `insert into ?? (${columns
        .map(() => '??')
        .join(', ')}, resource_version) select ${columns
        .map(() => '?')
        .join(', ')}, value from version`,
      bindings: [
        write.table,
        ...columns.map(([column]) => column),
        ...columns.map(([, value]) => value),
      ],
    };
  }
  if (write.operation === 'update') {
    return {
      sql: `update ?? set ${columns
        .map(() => '?? = ?')
        .join(
          ', ',
        )}, resource_version = version.value from version where ${whereSql}`,
      bindings: [write.table, ...columns.flat(), ...whereBindings],
    };
  }
  return {
    sql: `delete from ?? where ${whereSql}`,
    bindings: [write.table, ...whereBindings],
  };
}
