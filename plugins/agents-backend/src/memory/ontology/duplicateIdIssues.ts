import { MemoryRecord, RecordIssue } from './MemoryRecord';

/** One issue for every file whose record id another file's record also has. */
export function duplicateIdIssues(records: MemoryRecord[]): RecordIssue[] {
  const filesById = new Map<string, string[]>();
  for (const { id, path } of records) {
    filesById.set(id, [...(filesById.get(id) ?? []), path]);
  }
  return records.flatMap(({ id, path }) => {
    const others = filesById.get(id)!.filter(file => file !== path);
    if (others.length === 0) return [];
    const message = `'${id}' is also the id of ${others.join(', ')}`;
    return [{ file: path, field: 'id', message }];
  });
}
