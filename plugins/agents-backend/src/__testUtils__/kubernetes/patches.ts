import { KubeApiError } from './KubeApiError';
import { cloneJson, isPlainObject } from './kubeObjects';

/** RFC 7386 JSON merge patch. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return cloneJson(patch);
  const result: Record<string, unknown> = isPlainObject(target)
    ? cloneJson(target)
    : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

function namedElements(list: unknown[]): list is Record<string, unknown>[] {
  return list.every(e => isPlainObject(e) && typeof e.name === 'string');
}

/**
 * Strategic merge patch, reduced to what kubectl 1.20 sends for the built-in kinds the double
 * serves: a merge patch whose lists of named objects (containers, env, volumes …) merge by
 * `name`, honouring `$patch: delete`; other `$` directives are dropped.
 */
export function applyStrategicMergePatch(
  target: unknown,
  patch: unknown,
): unknown {
  if (!isPlainObject(patch)) return cloneJson(patch);
  const result: Record<string, unknown> = isPlainObject(target)
    ? cloneJson(target)
    : {};
  if (patch.$patch === 'replace') {
    const { $patch: _replace, ...rest } = patch;
    return stripDirectives(rest);
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue;
    const current = result[key];
    if (value === null) {
      delete result[key];
    } else if (
      Array.isArray(value) &&
      Array.isArray(current) &&
      namedElements(value) &&
      namedElements(current)
    ) {
      const merged = [...current];
      for (const element of value) {
        const index = merged.findIndex(e => e.name === element.name);
        if (element.$patch === 'delete') {
          if (index >= 0) merged.splice(index, 1);
        } else if (index >= 0) {
          merged[index] = applyStrategicMergePatch(
            merged[index],
            element,
          ) as Record<string, unknown>;
        } else {
          merged.push(stripDirectives(element) as Record<string, unknown>);
        }
      }
      result[key] = merged;
    } else {
      result[key] = applyStrategicMergePatch(current, value);
    }
  }
  return result;
}

function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !key.startsWith('$'))
      .map(([key, v]) => [key, stripDirectives(v)]),
  );
}

interface JsonPatchOperation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/'))
    throw KubeApiError.badRequest(`invalid JSON pointer: ${pointer}`);
  return pointer
    .slice(1)
    .split('/')
    .map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function childOf(node: unknown, token: string): any {
  if (Array.isArray(node)) return node[Number(token)];
  return isPlainObject(node) ? node[token] : undefined;
}

function parentOf(document: unknown, tokens: string[], op: string) {
  let node: any = document;
  for (const token of tokens.slice(0, -1)) {
    node = childOf(node, token);
    if (node === undefined) {
      throw new KubeApiError(
        422,
        'Invalid',
        `the server rejected our request due to an error in our request: doc is missing path: "/${tokens.join(
          '/',
        )}": missing value`,
      );
    }
  }
  if (typeof node !== 'object' || node === null) {
    throw new KubeApiError(
      422,
      'Invalid',
      `${op} operation does not apply: doc is missing path: "/${tokens.join(
        '/',
      )}"`,
    );
  }
  return { parent: node, last: tokens[tokens.length - 1] };
}

function read(document: unknown, tokens: string[]): unknown {
  let node: any = document;
  for (const token of tokens) {
    node = childOf(node, token);
    if (node === undefined) return undefined;
  }
  return node;
}

function remove(document: unknown, tokens: string[]) {
  const { parent, last } = parentOf(document, tokens, 'remove');
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (last in parent) delete parent[last];
  else
    throw new KubeApiError(
      422,
      'Invalid',
      `remove operation does not apply: doc is missing key: /${tokens.join(
        '/',
      )}`,
    );
}

function add(document: unknown, tokens: string[], value: unknown): unknown {
  if (tokens.length === 0) return cloneJson(value);
  const { parent, last } = parentOf(document, tokens, 'add');
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    parent.splice(index, 0, cloneJson(value));
  } else {
    parent[last] = cloneJson(value);
  }
  return document;
}

/** RFC 6902 JSON patch (add, remove, replace, move, copy, test). */
export function applyJsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) {
    throw KubeApiError.badRequest('json patch must be a list of operations');
  }
  let document = cloneJson(target);
  for (const operation of operations as JsonPatchOperation[]) {
    const tokens = parsePointer(operation.path);
    switch (operation.op) {
      case 'add':
        document = add(document, tokens, operation.value);
        break;
      case 'remove':
        remove(document, tokens);
        break;
      case 'replace':
        if (read(document, tokens) === undefined) {
          throw new KubeApiError(
            422,
            'Invalid',
            `replace operation does not apply: doc is missing key: ${operation.path}: missing value`,
          );
        }
        if (tokens.length === 0) document = cloneJson(operation.value);
        else {
          const { parent, last } = parentOf(document, tokens, 'replace');
          parent[Array.isArray(parent) ? Number(last) : last] = cloneJson(
            operation.value,
          );
        }
        break;
      case 'move':
      case 'copy': {
        const fromTokens = parsePointer(operation.from ?? '');
        const value = cloneJson(read(document, fromTokens));
        if (value === undefined) {
          throw new KubeApiError(
            422,
            'Invalid',
            `${operation.op} operation does not apply: doc is missing from path: ${operation.from}`,
          );
        }
        if (operation.op === 'move') remove(document, fromTokens);
        document = add(document, tokens, value);
        break;
      }
      case 'test':
        if (
          JSON.stringify(read(document, tokens)) !==
          JSON.stringify(operation.value)
        ) {
          throw new KubeApiError(
            422,
            'Invalid',
            `the server rejected our request due to an error in our request: testing value ${operation.path} failed`,
          );
        }
        break;
      default:
        throw KubeApiError.badRequest(`Unexpected kind: ${operation.op}`);
    }
  }
  return document;
}
