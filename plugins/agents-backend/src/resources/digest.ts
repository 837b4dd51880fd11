import { createHash } from 'node:crypto';
import stableStringify from 'fast-json-stable-stringify';

/** sha256 of the canonical JSON of a value: equal values give equal digests. */
export function digestOf(value: unknown): string {
  return `sha256:${createHash('sha256')
    .update(stableStringify(value))
    .digest('hex')}`;
}

/** Deep equality of JSON values, independent of key order. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return stableStringify(a) === stableStringify(b);
}
