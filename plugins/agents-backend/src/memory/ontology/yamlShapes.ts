import { RecordIssue } from './MemoryRecord';

/** A problem found before the file it belongs to is known. */
export type FieldProblem = Omit<RecordIssue, 'file'>;

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a YAML value is, for messages such as "must be a list, not a mapping". */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}

/** A mapping's own value at `key`; `toString` or `constructor` must not reach the prototype. */
export function ownValue(
  mapping: Record<string, unknown>,
  key: string,
): unknown {
  return Object.hasOwn(mapping, key) ? mapping[key] : undefined;
}

export function unknownKeyProblems(
  mapping: Record<string, unknown>,
  known: readonly string[],
  at: string,
): FieldProblem[] {
  return Object.keys(mapping)
    .filter(key => !known.includes(key))
    .map(key => ({
      field: at ? `${at}.${key}` : key,
      message: `is not a known key; expected ${known.join(', ')}`,
    }));
}
