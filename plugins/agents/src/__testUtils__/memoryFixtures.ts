import {
  AgentsApi,
  MemoryGraph,
  MemoryRecordAnswer,
  MemoryResolvedCommit,
  MemorySearchAnswer,
  MemoryStatus,
} from '../api';

export const MEMORY_COMMIT = '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d';
export const MEMORY_HEAD = '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432';

export const resolvedFixture: MemoryResolvedCommit = {
  commit: MEMORY_COMMIT,
  ref: 'main',
  committedAt: '2026-12-01T10:00:00Z',
};

/** `GET /memory` for acme at {@link MEMORY_COMMIT}, overrides merged in. */
export function memoryStatusFixture(
  overrides: Partial<MemoryStatus> = {},
): MemoryStatus {
  return {
    org: 'acme',
    branch: 'main',
    resolved: resolvedFixture,
    head: MEMORY_COMMIT,
    records: 4,
    recordsByKind: { service: 2, team: 1, decision: 1 },
    ontology: {
      valid: true,
      nodeKinds: ['team', 'service', 'decision', 'document'],
      edgeKinds: ['owns', 'depends-on', 'links-to'],
      issues: [],
    },
    index: { commit: MEMORY_COMMIT, fresh: true, filesRead: 11, ms: 12 },
    deniedQueries: 0,
    ...overrides,
  };
}

export function memorySearchFixture(
  overrides: Partial<MemorySearchAnswer> = {},
): MemorySearchAnswer {
  return {
    resolved: resolvedFixture,
    commit: MEMORY_COMMIT,
    results: [
      {
        path: 'services/payments-api.md',
        line: 14,
        text: 'Takes card payments and records them in the [ledger](ledger.md).',
        citation: `services/payments-api.md@${MEMORY_COMMIT}#L14`,
        record: {
          id: 'services/payments-api',
          kind: 'service',
          title: 'payments-api',
        },
      },
      {
        path: 'ontology.yaml',
        line: 3,
        text: '  payments: a node kind',
        citation: `ontology.yaml@${MEMORY_COMMIT}#L3`,
      },
    ],
    withheld: 0,
    truncated: false,
    ...overrides,
  };
}

export function memoryGraphFixture(
  overrides: Partial<MemoryGraph> = {},
): MemoryGraph {
  return {
    resolved: resolvedFixture,
    commit: MEMORY_COMMIT,
    nodes: [
      {
        id: 'teams/payments',
        kind: 'team',
        title: 'Payments team',
        path: 'teams/payments.md',
        repositories: [],
      },
      {
        id: 'services/payments-api',
        kind: 'service',
        title: 'payments-api',
        path: 'services/payments-api.md',
        owner: 'group:default/payments',
        repositories: ['acme/payments-api'],
      },
      {
        id: 'services/ledger',
        kind: 'service',
        title: 'ledger',
        path: 'services/ledger.md',
        owner: 'group:default/platform',
        repositories: [],
      },
    ],
    edges: [
      { from: 'teams/payments', to: 'services/payments-api', kind: 'owns' },
      {
        from: 'services/payments-api',
        to: 'services/ledger',
        kind: 'depends-on',
      },
    ],
    withheld: 0,
    ...overrides,
  };
}

export function memoryRecordFixture(
  overrides: Partial<MemoryRecordAnswer> = {},
): MemoryRecordAnswer {
  return {
    resolved: resolvedFixture,
    record: {
      path: 'services/payments-api.md',
      id: 'services/payments-api',
      kind: 'service',
      title: 'payments-api',
      owner: 'group:default/payments',
      repositories: ['acme/payments-api'],
      visibility: 'org',
      reviewed: '2026-11-02',
      sources: ['acme/payments-api/src/server.js'],
      edges: {
        'depends-on': ['services/ledger'],
        'documented-in': ['runbooks/payments-api-rollback'],
      },
      links: ['glossary/idempotency-key'],
      fields: { tier: 'critical' },
      body: '\n# payments-api\n',
      bodyLineOffset: 12,
    },
    content: '---\nkind: service\n---\n\n# payments-api\n',
    citation: `services/payments-api.md@${MEMORY_COMMIT}`,
    issues: [],
    ...overrides,
  };
}

/** The API calls every memory page makes besides its own: the org switcher's and the orgs'. */
export function memoryApi(
  overrides: Partial<AgentsApi> = {},
): Partial<AgentsApi> {
  return {
    listStacks: async () => ({ items: [], resourceVersion: '1' }),
    listMemoryOrgs: async () => ({
      items: [{ org: 'acme' }, { org: 'globex' }],
    }),
    getMemoryStatus: async () => memoryStatusFixture(),
    getMemoryRecord: async () => memoryRecordFixture(),
    ...overrides,
  };
}
