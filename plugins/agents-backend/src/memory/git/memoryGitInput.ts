import { InputError } from '@backstage/errors';

const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
// Control characters (C0 and DEL) and any kind of whitespace.
// eslint-disable-next-line no-control-regex
const SPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f]/;
// Characters git forbids in ref names, plus the revision syntax `~` and `^`.
const NOT_IN_NAMES = /[~^:?*[\\]/;
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** Checks a full commit id (SHA-1 or SHA-256, lowercase hex) as reads take it. */
export function checkObjectId(field: string, value: unknown): string {
  if (typeof value !== 'string' || !OBJECT_ID.test(value)) {
    throw new InputError(
      `${field}: expected a full commit id (40 or 64 lowercase hex digits); resolve a ref first`,
    );
  }
  return value;
}

/**
 * Checks a revision a reader may name: a branch, tag or commit (with `~`/`^` suffixes when
 * `names` is false). Refused: options (`-…`), ranges (`..`), reflog times (`@{…}`), paths
 * (`:`), whitespace and control characters.
 */
export function checkRevision(
  field: string,
  value: unknown,
  options: { names?: boolean } = {},
): string {
  if (typeof value !== 'string' || value === '') {
    throw new InputError(`${field}: must be a non-empty string`);
  }
  if (value.startsWith('-')) {
    throw new InputError(`${field}: must not start with '-'`);
  }
  if (value.length > 1024) {
    throw new InputError(`${field}: must be at most 1024 characters`);
  }
  if (
    value.includes('..') ||
    value.includes('@{') ||
    value.includes(':') ||
    SPACE_OR_CONTROL.test(value)
  ) {
    throw new InputError(
      `${field}: must not contain '..', '@{', ':', whitespace or control characters`,
    );
  }
  if (options.names && NOT_IN_NAMES.test(value)) {
    throw new InputError(`${field}: '${value}' is not a valid name`);
  }
  return value;
}

/**
 * Checks a path inside the repository: relative, with no `.`/`..` segments, no NUL or line
 * breaks. One trailing `/` is allowed (a folder) and dropped.
 */
export function checkPath(field: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new InputError(`${field}: must be a non-empty string`);
  }
  if (/[\0\n\r]/.test(value)) {
    throw new InputError(`${field}: must not contain NUL or line breaks`);
  }
  const trimmed = value.endsWith('/') ? value.slice(0, -1) : value;
  const segments = trimmed.split('/');
  if (segments.some(segment => ['', '.', '..'].includes(segment))) {
    throw new InputError(
      `${field}: '${value}' must be a relative path without empty, '.' or '..' segments`,
    );
  }
  return trimmed;
}

export function checkPaths(field: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new InputError(`${field}: must be an array of paths`);
  }
  return value.map(item => checkPath(field, item));
}

/** A file extension with or without its dot (`md`, `.md`), answered with the dot. */
export function checkExtension(field: string, value: unknown): string {
  if (
    typeof value !== 'string' ||
    !/^\.?[^/\0]+$/.test(value) ||
    SPACE_OR_CONTROL.test(value)
  ) {
    throw new InputError(`${field}: must be a file extension such as '.md'`);
  }
  return value.startsWith('.') ? value : `.${value}`;
}

/**
 * Milliseconds since the epoch of an ISO 8601 timestamp. A time zone is required so that the
 * same input means the same instant on every machine.
 */
export function parseTimestamp(field: string, value: unknown): number {
  const match = typeof value === 'string' ? TIMESTAMP.exec(value) : null;
  const ms = match ? Date.parse(value as string) : NaN;
  if (!match || Number.isNaN(ms) || !isCalendarDay(match)) {
    throw new InputError(
      `${field}: expected an ISO 8601 timestamp with a time zone, such as 2026-12-04T10:00:00Z`,
    );
  }
  return ms;
}

function isCalendarDay(match: RegExpExecArray): boolean {
  const [year, month, day] = [1, 2, 3].map(i => Number(match[i]));
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
