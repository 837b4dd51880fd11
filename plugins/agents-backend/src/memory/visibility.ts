import { MemoryRecord } from './ontology';

/** Who reads: the user's own and group entity refs; a service sees only org-wide records. */
export interface MemoryReader {
  ownershipRefs: string[];
}

/**
 * Whether a reader may see a record. `visibility: team:<entity ref>` hides a record from
 * everyone who is not that team (or a member of it, through their ownership refs); anything
 * else is org-wide. An unreadable visibility hides the record: a typo must not publish it.
 */
export function canSee(record: MemoryRecord, reader: MemoryReader): boolean {
  const visibility: string = record.visibility;
  if (visibility === 'org') return true;
  const team = visibility.startsWith('team:')
    ? visibility.slice('team:'.length).toLowerCase()
    : undefined;
  return Boolean(
    team && reader.ownershipRefs.some(ref => ref.toLowerCase() === team),
  );
}
