/**
 * How deeply a document may nest. Agent resources are a dozen levels deep at most; a body nested
 * deeper is hostile, and code that walks it recursively would overflow the stack. @public
 */
export const MAX_DOCUMENT_DEPTH = 64;

/** More values than this in one document is not configuration (it is an expanded alias bomb). */
const MAX_VALUES = 1_000_000;

/** A structural problem of a parsed document, at a field path such as `spec.tools[0]`. @public */
export interface StructureProblem {
  path: string;
  message: string;
}

type Frame =
  | { value: unknown; path: string; depth: number }
  | { leave: object };

function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

function keyProblem(
  key: string,
  child: unknown,
  path: string,
  allowNul: boolean,
): StructureProblem | undefined {
  if (!allowNul && key.includes('\u0000')) {
    return { path, message: 'must not contain NUL characters' };
  }
  if (key === '__proto__') {
    return { path, message: "'__proto__' is not allowed as a key" };
  }
  if (
    key === 'constructor' &&
    child !== null &&
    typeof child === 'object' &&
    Object.prototype.hasOwnProperty.call(child, 'prototype')
  ) {
    return {
      path: childPath(path, 'prototype'),
      message: "'constructor.prototype' is not allowed as a key",
    };
  }
  return undefined;
}

/**
 * The first structural problem of a parsed document, or undefined: nesting deeper than
 * `maxDepth`, a value that contains itself (a recursive YAML alias), a NUL character in a string
 * or a key (PostgreSQL text cannot hold one; `allowNul` for text whose NULs are dropped later), or a key that reaches an object's prototype. It walks
 * with an explicit stack, so no depth of nesting can overflow the call stack. @public
 */
export function documentStructureProblem(
  document: unknown,
  options: { maxDepth?: number; allowNul?: boolean } = {},
): StructureProblem | undefined {
  const { maxDepth = MAX_DOCUMENT_DEPTH, allowNul = false } = options;
  const stack: Frame[] = [{ value: document, path: '', depth: 0 }];
  const ancestors = new Set<object>();
  let visited = 0;
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if ('leave' in frame) {
      ancestors.delete(frame.leave);
      continue;
    }
    const { value, path, depth } = frame;
    if (++visited > MAX_VALUES) {
      return { path, message: `holds more than ${MAX_VALUES} values` };
    }
    if (typeof value === 'string') {
      if (!allowNul && value.includes('\u0000')) {
        return { path, message: 'must not contain NUL characters' };
      }
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (ancestors.has(value)) {
      return { path, message: 'contains itself (a recursive alias)' };
    }
    if (depth >= maxDepth) {
      return { path, message: `nests deeper than ${maxDepth} levels` };
    }
    ancestors.add(value);
    stack.push({ leave: value });
    const entries: [string | number, unknown][] = Array.isArray(value)
      ? value.map((child, index) => [index, child])
      : Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i];
      const at = childPath(path, key);
      if (typeof key === 'string') {
        const problem = keyProblem(key, child, at, allowNul);
        if (problem) return problem;
      }
      stack.push({ value: child, path: at, depth: depth + 1 });
    }
  }
  return undefined;
}
