import { Obj, Static, StringEnum, Type } from './schema';

/** How many records or excerpts one memory query may add to a run's context. @public */
export const MAX_MEMORY_QUERY_RESULTS = 50;
/** How many memory queries a stack, rule or run may name. @public */
export const MAX_MEMORY_QUERIES = 20;

const PointInTime = {
  ref: Type.Optional(
    Type.String({ maxLength: 255, description: 'Branch or commit' }),
  ),
  tag: Type.Optional(Type.String({ maxLength: 255, description: 'Tag' })),
  at: Type.Optional(
    Type.String({
      format: 'date-time',
      description: 'The memory as the branch was at this time',
    }),
  ),
};

/**
 * One question a run asks of its org's memory: a grep-like search, a graph selection, or one
 * record. What it answers becomes `memory` parts of the run's context bundle.
 * @public
 */
export const MemoryQuery = Type.Union([
  Obj({
    type: Type.Literal('search'),
    pattern: Type.String({ minLength: 1, maxLength: 500 }),
    regex: Type.Optional(Type.Boolean()),
    ignoreCase: Type.Optional(Type.Boolean()),
    paths: Type.Optional(Type.Array(Type.String(), { maxItems: 20 })),
    kinds: Type.Optional(Type.Array(Type.String(), { maxItems: 20 })),
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_MEMORY_QUERY_RESULTS }),
    ),
  }),
  Obj({
    type: Type.Literal('graph'),
    kinds: Type.Optional(Type.Array(Type.String(), { maxItems: 20 })),
    around: Type.Optional(
      Type.String({ description: 'Record id whose neighbourhood to select' }),
    ),
    depth: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_MEMORY_QUERY_RESULTS }),
    ),
  }),
  Obj({
    type: Type.Literal('record'),
    id: Type.String({
      minLength: 1,
      description: 'e.g. services/payments-api',
    }),
  }),
]);

/** @public */
export type MemoryQuery = Static<typeof MemoryQuery>;

/**
 * Which memory a run reads: the org, the point in time (current when none is given) and the
 * queries whose answers go into its context. Stacks and trigger rules name one; a dispatch may
 * override the point in time and add queries.
 * @public
 */
export const MemorySelection = Obj({
  org: Type.Optional(
    Type.String({
      description: "The org whose memory to read; default: the run's org",
    }),
  ),
  ...PointInTime,
  queries: Type.Optional(
    Type.Array(MemoryQuery, { maxItems: MAX_MEMORY_QUERIES }),
  ),
});

/** @public */
export type MemorySelection = Static<typeof MemorySelection>;

/** Where a run's memory resolved to, written when it is dispatched. @public */
export const ResolvedMemory = Obj({
  org: Type.String(),
  commit: Type.String({ pattern: '^[0-9a-f]{40}$' }),
  resolvedFrom: Type.String({
    description:
      'What named the commit: "current", "ref main", "tag v1", "at 2026-12-04T00:00:00Z"',
  }),
  time: Type.String({ format: 'date-time' }),
  manifest: Type.Optional(
    Type.Array(
      Obj({
        query: Type.Integer({
          minimum: 0,
          description: 'Index of the query in spec.memory.queries',
        }),
        path: Type.String({ description: 'File in the memory repository' }),
        id: Type.Optional(Type.String({ description: 'Record id' })),
        line: Type.Optional(
          Type.Integer({
            minimum: 1,
            description: 'Matched line, for a search excerpt',
          }),
        ),
      }),
      {
        description:
          'What the queries selected at the commit, as the requester may see it',
      },
    ),
  ),
  withheld: Type.Optional(
    Type.Integer({
      minimum: 0,
      description: 'Results left out because the requester may not see them',
    }),
  ),
});

/** @public */
export type ResolvedMemory = Static<typeof ResolvedMemory>;

/** States of a proposed memory update. @public */
export const MEMORY_UPDATE_PHASES = [
  'Proposed',
  'Approved',
  'Merged',
  'Rejected',
  'Conflict',
] as const;

/** @internal */
export const MemoryUpdatePhase = StringEnum([...MEMORY_UPDATE_PHASES]);
