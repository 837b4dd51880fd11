import { MemorySnapshot } from '../MemoryIndex';
import { canSee, MemoryReader } from '../visibility';

/** A memory record about a catalog entity, for its Agents tab. */
export interface EntityRecord {
  org: string;
  id: string;
  kind: string;
  title: string;
  path: string;
  commit: string;
}

/**
 * The records of a snapshot the reader may see that are about an entity: owned by it, or naming
 * it or its repository (`<org>/<repository>`) among their repositories. Refs compare without
 * case, as Backstage compares them.
 */
export function entityRecords(
  org: string,
  snapshot: MemorySnapshot,
  reader: MemoryReader,
  about: { entityRef?: string; repository?: string },
): EntityRecord[] {
  const entityRef = about.entityRef?.toLowerCase();
  const repository = about.repository?.toLowerCase();
  const items: EntityRecord[] = [];
  for (const record of snapshot.records.values()) {
    const repositories = record.repositories.map(ref => ref.toLowerCase());
    const isAbout =
      (entityRef !== undefined &&
        (record.owner?.toLowerCase() === entityRef ||
          repositories.includes(entityRef))) ||
      (repository !== undefined && repositories.includes(repository));
    if (!isAbout || !canSee(record, reader)) continue;
    items.push({
      org,
      id: record.id,
      kind: record.kind,
      title: record.title,
      path: record.path,
      commit: snapshot.commit,
    });
  }
  return items;
}
