/**
 * Where the first NUL character sits in a parsed document — in a string or in a key — as a field
 * path (`spec.tools[0]`), or undefined. PostgreSQL text cannot hold NUL, so input carrying one is
 * refused up front instead of failing in the database. @public
 */
export function nulCharacterPath(
  value: unknown,
  path = '',
): string | undefined {
  if (typeof value === 'string') {
    return value.includes('\u0000') ? path : undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulCharacterPath(value[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const childPath = path ? `${path}.${key}` : key;
      if (key.includes('\u0000')) return childPath;
      const found = nulCharacterPath(child, childPath);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
