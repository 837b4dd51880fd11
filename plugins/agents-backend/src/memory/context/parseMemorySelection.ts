import { InputError } from '@backstage/errors';
import {
  DNS_LABEL_PATTERN,
  MAX_MEMORY_QUERIES,
  MAX_MEMORY_QUERY_RESULTS,
  MemoryQuery,
  MemorySelection,
} from '@krate/plugin-agents-common';
import {
  checkPath,
  checkRevision,
  parseTimestamp,
} from '../git/memoryGitInput';

const ORG = new RegExp(DNS_LABEL_PATTERN);
const MAX_LIST = 20;
const MAX_PATTERN = 500;
const POINT_IN_TIME = ['ref', 'tag', 'at'] as const;
const QUERY_FIELDS: Record<MemoryQuery['type'], string[]> = {
  search: ['type', 'pattern', 'regex', 'ignoreCase', 'paths', 'kinds', 'limit'],
  graph: ['type', 'kinds', 'around', 'depth', 'limit'],
  record: ['type', 'id'],
};

/**
 * Checks a memory selection from a request body field by field (`memory.queries[2].pattern`),
 * refusing unknown fields; `prefix` is where the selection sits in the body (`memory.`, or
 * nothing for a body that is the selection).
 */
export function parseMemorySelection(
  value: unknown,
  prefix = 'memory.',
): MemorySelection {
  const at = (field: string) => `${prefix}${field}`;
  const input = objectOf(value, prefix ? prefix.slice(0, -1) : 'body');
  refuseUnknown(input, ['org', ...POINT_IN_TIME, 'queries'], prefix);
  const selection: MemorySelection = {};
  if (input.org !== undefined) {
    if (
      typeof input.org !== 'string' ||
      input.org.length > 63 ||
      !ORG.test(input.org)
    ) {
      throw new InputError(`${at('org')}: must be an org (namespace) name`);
    }
    selection.org = input.org;
  }
  const named = POINT_IN_TIME.filter(field => input[field] !== undefined);
  if (named.length > 1) {
    throw new InputError(
      `${at(named[1])}: give one of ref, tag and at, not ${named.join(
        ' and ',
      )}`,
    );
  }
  if (input.ref !== undefined) {
    selection.ref = revision(input.ref, at('ref'), false);
  }
  if (input.tag !== undefined) {
    selection.tag = revision(input.tag, at('tag'), true);
  }
  if (input.at !== undefined) {
    parseTimestamp(at('at'), input.at);
    selection.at = input.at as string;
  }
  if (input.queries !== undefined) {
    if (!Array.isArray(input.queries)) {
      throw new InputError(`${at('queries')}: must be an array of queries`);
    }
    if (input.queries.length > MAX_MEMORY_QUERIES) {
      throw new InputError(
        `${at('queries')}: at most ${MAX_MEMORY_QUERIES} queries`,
      );
    }
    selection.queries = input.queries.map((query, index) =>
      parseMemoryQuery(query, at(`queries[${index}]`)),
    );
  }
  return selection;
}

function parseMemoryQuery(value: unknown, field: string): MemoryQuery {
  const input = objectOf(value, field);
  const type = input.type as MemoryQuery['type'];
  if (
    typeof type !== 'string' ||
    !Object.prototype.hasOwnProperty.call(QUERY_FIELDS, type)
  ) {
    throw new InputError(`${field}.type: must be search, graph or record`);
  }
  refuseUnknown(input, QUERY_FIELDS[type], `${field}.`);
  if (type === 'record') {
    return { type, id: nonEmpty(input.id, `${field}.id`, 1024) };
  }
  const common = {
    ...(input.kinds !== undefined
      ? { kinds: stringList(input.kinds, `${field}.kinds`) }
      : {}),
    ...(input.limit !== undefined
      ? {
          limit: integer(
            input.limit,
            `${field}.limit`,
            1,
            MAX_MEMORY_QUERY_RESULTS,
          ),
        }
      : {}),
  };
  if (type === 'graph') {
    return {
      type,
      ...common,
      ...(input.around !== undefined
        ? { around: nonEmpty(input.around, `${field}.around`, 1024) }
        : {}),
      ...(input.depth !== undefined
        ? { depth: integer(input.depth, `${field}.depth`, 1, 5) }
        : {}),
    };
  }
  const pattern = nonEmpty(input.pattern, `${field}.pattern`, MAX_PATTERN);
  if (/[\0\n\r]/.test(pattern)) {
    throw new InputError(
      `${field}.pattern: must not contain NUL or line breaks`,
    );
  }
  const regex = flag(input.regex, `${field}.regex`);
  if (regex) {
    try {
      RegExp(pattern);
    } catch (error) {
      throw new InputError(
        `${field}.pattern: not a valid regular expression: ${
          (error as Error).message
        }`,
      );
    }
  }
  const ignoreCase = flag(input.ignoreCase, `${field}.ignoreCase`);
  return {
    type,
    pattern,
    ...(regex !== undefined ? { regex } : {}),
    ...(ignoreCase !== undefined ? { ignoreCase } : {}),
    ...(input.paths !== undefined
      ? {
          paths: stringList(input.paths, `${field}.paths`).map((path, i) =>
            checkPath(`${field}.paths[${i}]`, path),
          ),
        }
      : {}),
    ...common,
  };
}

function objectOf(value: unknown, field: string): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(`${field}: must be an object`);
  }
  return value as Record<string, unknown>;
}

function refuseUnknown(
  input: Record<string, unknown>,
  known: readonly string[],
  prefix: string,
) {
  for (const key of Object.keys(input)) {
    if (!known.includes(key)) {
      throw new InputError(`${prefix}${key}: unknown field`);
    }
  }
}

function revision(value: unknown, field: string, tag: boolean): string {
  if (typeof value === 'string' && value.length > 255) {
    throw new InputError(`${field}: must be at most 255 characters`);
  }
  return checkRevision(field, value, { names: tag });
}

function nonEmpty(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value === '' || value.length > max) {
    throw new InputError(
      `${field}: must be a non-empty string of at most ${max} characters`,
    );
  }
  return value;
}

function stringList(value: unknown, field: string): string[] {
  if (
    !Array.isArray(value) ||
    value.length > MAX_LIST ||
    !value.every(item => typeof item === 'string' && item !== '')
  ) {
    throw new InputError(
      `${field}: must be an array of at most ${MAX_LIST} non-empty strings`,
    );
  }
  return value;
}

function integer(
  value: unknown,
  field: string,
  min: number,
  max: number,
): number {
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < min ||
    value > max
  ) {
    throw new InputError(`${field}: must be an integer from ${min} to ${max}`);
  }
  return value;
}

function flag(value: unknown, field: string): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new InputError(`${field}: must be true or false`);
  }
  return value;
}
