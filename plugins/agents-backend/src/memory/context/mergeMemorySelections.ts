import { InputError } from '@backstage/errors';
import {
  MAX_MEMORY_QUERIES,
  MemoryQuery,
  MemorySelection,
} from '@krate/plugin-agents-common';

const POINT_IN_TIME = ['ref', 'tag', 'at'] as const;

/**
 * A run's memory selection from its layers, lowest first (stack, trigger rule, dispatch
 * request): the org and the point in time of the highest layer that names one (a layer's point
 * in time replaces a lower one's whole), the queries of all layers in order with duplicates
 * removed. Undefined when no layer asks for memory.
 */
export function mergeMemorySelections(
  layers: (MemorySelection | undefined)[],
): MemorySelection | undefined {
  const given = layers.filter((layer): layer is MemorySelection =>
    Boolean(layer),
  );
  if (given.length === 0) return undefined;
  const merged: MemorySelection = {};
  const queries = new Map<string, MemoryQuery>();
  for (const layer of given) {
    if (layer.org !== undefined) merged.org = layer.org;
    if (POINT_IN_TIME.some(field => layer[field] !== undefined)) {
      for (const field of POINT_IN_TIME) {
        if (layer[field] === undefined) delete merged[field];
        else merged[field] = layer[field];
      }
    }
    for (const query of layer.queries ?? []) {
      const key = canonical(query);
      if (!queries.has(key)) queries.set(key, query);
    }
  }
  const named = POINT_IN_TIME.filter(field => merged[field] !== undefined);
  if (named.length > 1) {
    throw new InputError(
      `memory.${
        named[1]
      }: the memory is read at one of ref, tag and at, not ${named.join(
        ' and ',
      )}`,
    );
  }
  if (queries.size > MAX_MEMORY_QUERIES) {
    throw new InputError(
      `memory.queries: the stack, rule and dispatch name ${queries.size} different queries; at most ${MAX_MEMORY_QUERIES}`,
    );
  }
  return queries.size > 0
    ? { ...merged, queries: [...queries.values()] }
    : merged;
}

/** A query's identity: its fields in a fixed order, so `{a, b}` and `{b, a}` are one query. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map(
        key =>
          `${JSON.stringify(key)}:${canonical(
            (value as Record<string, unknown>)[key],
          )}`,
      )
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
