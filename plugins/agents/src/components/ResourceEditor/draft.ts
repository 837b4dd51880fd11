/** Immutable edits of a resource draft by path, e.g. `['spec', 'runnerPolicy', 'pool']`. */
export function setIn(value: unknown, path: string[], next: unknown): unknown {
  if (path.length === 0) {
    return next;
  }
  const [key, ...rest] = path;
  const base =
    value && typeof value === 'object' && !Array.isArray(value)
      ? { ...(value as Record<string, unknown>) }
      : {};
  const child = setIn(base[key], rest, next);
  const isEmptyObject =
    child !== null &&
    typeof child === 'object' &&
    !Array.isArray(child) &&
    Object.keys(child).length === 0;
  if (child === undefined || child === '' || isEmptyObject) {
    delete base[key];
  } else {
    base[key] = child;
  }
  return base;
}

export function getIn(value: unknown, path: string[]): unknown {
  return path.reduce<unknown>(
    (current, key) =>
      current && typeof current === 'object'
        ? (current as Record<string, unknown>)[key]
        : undefined,
    value,
  );
}

/** `spec.runnerPolicy.pool` for a path, as validation errors name fields. */
export function pathName(path: string[]): string {
  return path.join('.');
}
