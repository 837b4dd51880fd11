import { duplicateIdIssues } from './duplicateIdIssues';
import { edgeIssues } from './edgeIssues';
import { MemoryRecord, RecordIssue } from './MemoryRecord';
import { Ontology } from './Ontology';
import { recordFieldIssues } from './recordFieldIssues';

/**
 * Checks a memory repository's records against its ontology and each other: known kinds,
 * required and typed fields, edges of known kinds between allowed kinds to existing records, and
 * ids unique across files. Every issue names the file and the field, such as
 * `edges.depends-on[0]`.
 */
export function validateRecords(
  ontology: Ontology,
  records: MemoryRecord[],
): RecordIssue[] {
  const recordsById = new Map<string, MemoryRecord>();
  for (const record of records) {
    if (!recordsById.has(record.id)) recordsById.set(record.id, record);
  }
  return [
    ...duplicateIdIssues(records),
    ...records.flatMap(record => [
      ...recordFieldIssues(ontology, record),
      ...edgeIssues(ontology, record, recordsById),
    ]),
  ];
}
