import { mergeMemorySelections } from './mergeMemorySelections';
import { parseMemorySelection } from './parseMemorySelection';

describe('mergeMemorySelections', () => {
  it('takes org and point in time from the highest layer naming one, and every query once in layer order', () => {
    const stack = {
      org: 'acme',
      ref: 'main',
      queries: [
        { type: 'record' as const, id: 'services/ledger' },
        { type: 'search' as const, pattern: 'budget', limit: 5 },
      ],
    };
    const rule = {
      tag: 'v1',
      queries: [{ type: 'search' as const, limit: 5, pattern: 'budget' }],
    };
    const request = { queries: [{ type: 'graph' as const, kinds: ['team'] }] };
    expect(mergeMemorySelections([stack, rule, request])).toEqual({
      org: 'acme',
      tag: 'v1',
      queries: [
        { type: 'record', id: 'services/ledger' },
        { type: 'search', pattern: 'budget', limit: 5 },
        { type: 'graph', kinds: ['team'] },
      ],
    });
    expect(
      mergeMemorySelections([stack, undefined, { at: '2026-12-01T00:00:00Z' }]),
    ).toMatchObject({ org: 'acme', at: '2026-12-01T00:00:00Z' });
    expect(mergeMemorySelections([stack, { org: 'globex' }])).toMatchObject({
      org: 'globex',
      ref: 'main',
    });
  });

  it('is nothing when no layer asks for memory', () => {
    expect(mergeMemorySelections([undefined, undefined])).toBeUndefined();
  });

  it('refuses a layer naming two points in time, and more queries than a run may read', () => {
    expect(() => mergeMemorySelections([{ ref: 'main', tag: 'v1' }])).toThrow(
      /^memory\.tag: /,
    );
    const many = (from: number) => ({
      queries: Array.from({ length: 15 }, (_, i) => ({
        type: 'record' as const,
        id: `r${from + i}`,
      })),
    });
    expect(() => mergeMemorySelections([many(0), many(100)])).toThrow(
      /^memory\.queries: the stack, rule and dispatch name 30 different queries; at most 20/,
    );
    expect(mergeMemorySelections([many(0), many(0)])?.queries).toHaveLength(15);
  });
});

describe('parseMemorySelection', () => {
  it('keeps a valid selection as given', () => {
    const selection = {
      org: 'acme',
      at: '2026-12-04T10:00:00+01:00',
      queries: [
        {
          type: 'search',
          pattern: '^# (ledger)$',
          regex: true,
          ignoreCase: false,
          paths: ['services/'],
          kinds: ['service'],
          limit: 3,
        },
        { type: 'graph', around: 'teams/payments', depth: 2, limit: 50 },
        { type: 'record', id: 'services/ledger' },
      ],
    };
    expect(parseMemorySelection(selection)).toEqual({
      ...selection,
      queries: [
        { ...selection.queries[0], paths: ['services'] },
        ...selection.queries.slice(1),
      ],
    });
  });

  it.each([
    ['x', 'memory: must be an object'],
    [{ org: 'Not An Org' }, 'memory.org: must be an org (namespace) name'],
    [{ ref: '-x' }, "memory.ref: must not start with '-'"],
    [{ tag: 'a b' }, 'memory.tag: must not contain'],
    [{ at: 'yesterday' }, 'memory.at: expected an ISO 8601 timestamp'],
    [{ queries: {} }, 'memory.queries: must be an array of queries'],
    [
      { queries: [{ type: 'sql' }] },
      'memory.queries[0].type: must be search, graph or record',
    ],
    [
      { queries: [{ type: 'record', id: 'x', pattern: 'y' }] },
      'memory.queries[0].pattern: unknown field',
    ],
    [
      { queries: [{ type: 'search', pattern: '[', regex: true }] },
      'memory.queries[0].pattern: not a valid regular expression',
    ],
    [
      { queries: [{ type: 'search', pattern: 'a\nb' }] },
      'memory.queries[0].pattern: must not contain NUL or line breaks',
    ],
    [
      { queries: [{ type: 'search', pattern: 'a', paths: ['../etc'] }] },
      'memory.queries[0].paths[0]:',
    ],
    [
      { queries: [{ type: 'search', pattern: 'a', regex: 'yes' }] },
      'memory.queries[0].regex: must be true or false',
    ],
    [
      { queries: [{ type: 'graph', kinds: 'team' }] },
      'memory.queries[0].kinds: must be an array',
    ],
  ])('refuses %j naming the field', (input, message) => {
    expect(() => parseMemorySelection(input)).toThrow(message);
  });

  it('names fields without a prefix for a body that is the selection', () => {
    expect(() => parseMemorySelection({ queries: [{}] }, '')).toThrow(
      /^queries\[0\]\.type: /,
    );
  });
});
