/** A document without the fields an object lacks, so the index sees no `undefined` values. */
export function withoutUndefined<T extends object>(document: T): T {
  return Object.fromEntries(
    Object.entries(document).filter(([, value]) => value !== undefined),
  ) as T;
}
