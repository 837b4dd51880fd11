import { createMemoryRepository } from '../__testUtils__/memoryRepository';
import { queryGraph } from './memoryGraph';
import { MemoryService } from './MemoryService';
import { searchMemory } from './searchMemory';

jest.setTimeout(60_000);

const PAYMENTS = {
  ownershipRefs: ['user:default/alice', 'group:default/payments'],
};
const PLATFORM = {
  ownershipRefs: ['user:default/bob', 'group:default/platform'],
};

describe('MemoryService', () => {
  let repository: ReturnType<typeof createMemoryRepository>;
  let second: string;

  beforeEach(() => {
    repository = createMemoryRepository();
    second = repository.commit('2026-12-03T10:00:00Z', {
      'services/payments-api.md': `---
kind: service
owner: group:default/payments
repositories: [acme/payments-api]
edges:
  depends-on: [services/ledger, services/fraud-check]
---
# payments-api

Deploys blue-green since December; the old color stays up for an hour.
`,
      'services/fraud-check.md': `---
kind: service
owner: group:default/payments
---
# fraud-check

Scores card payments before payments-api takes them.
`,
      'glossary/idempotency-key.md': null,
    });
  });
  afterEach(() => repository.remove());

  function service() {
    return new MemoryService([
      { org: 'acme', repositoryPath: repository.path },
    ]);
  }

  it('indexes the demo memory with a valid ontology, and the next commit from the files it changed', async () => {
    const memory = service();
    const first = await memory.status('acme', { ref: repository.first });
    expect(first.ontology).toEqual({
      valid: true,
      nodeKinds: expect.arrayContaining(['team', 'service', 'decision']),
      edgeKinds: expect.arrayContaining(['owns', 'depends-on', 'supersedes']),
      issues: [],
    });
    expect(first.records).toBe(12 - 1); // every Markdown file; ontology.yaml is no record
    expect(first.recordsByKind).toMatchObject({
      team: 2,
      service: 2,
      decision: 2,
      document: 1,
    });
    expect(first.index).toMatchObject({
      commit: repository.first,
      fresh: false,
    });

    const now = await memory.status('acme');
    expect(now.resolved.commit).toBe(second);
    expect(now.index).toMatchObject({
      commit: second,
      fresh: true,
      builtFrom: repository.first,
      // Two changed records and a new one; the deleted one needs no reading.
      filesRead: 2,
    });
    expect(now.records).toBe(11);
    expect(now.recordsByKind.service).toBe(3);
    expect(now.ontology.issues).toEqual([]);
  });

  it('answers the same search differently at two commits, and resolves `at` to the commit before it', async () => {
    const memory = service();
    const search = async (at: { ref?: string; at?: string }) => {
      const { snapshot } = await memory.snapshot('acme', at);
      return searchMemory(memory.git('acme'), snapshot, PLATFORM, {
        pattern: 'blue-green',
        limit: 10,
      });
    };
    expect((await search({ ref: repository.first })).results).toEqual([]);
    const now = await search({});
    expect(now.results).toEqual([
      {
        path: 'services/payments-api.md',
        line: 10,
        text: 'Deploys blue-green since December; the old color stays up for an hour.',
        citation: `services/payments-api.md@${second}#L10`,
        record: {
          id: 'services/payments-api',
          kind: 'service',
          title: 'payments-api',
        },
      },
    ]);
    // Two days ago, from the 3rd: the memory as it was on the 1st.
    const { resolved } = await memory.snapshot('acme', {
      at: '2026-12-02T12:00:00Z',
    });
    expect(resolved.commit).toBe(repository.first);
    expect((await search({ at: '2026-12-02T12:00:00Z' })).results).toEqual([]);
    expect((await search({ at: '2026-12-03T10:00:00Z' })).results).toHaveLength(
      1,
    );
  });

  it('never shows a team-scoped record to others: not in search, graph or counts', async () => {
    const memory = service();
    const { snapshot } = await memory.snapshot('acme');
    const incident = 'incidents/2026-11-payments-timeouts';

    const forPlatform = await searchMemory(
      memory.git('acme'),
      snapshot,
      PLATFORM,
      {
        pattern: 'retried without a budget',
        limit: 10,
      },
    );
    expect(forPlatform).toMatchObject({ results: [], withheld: 1 });
    const forPayments = await searchMemory(
      memory.git('acme'),
      snapshot,
      PAYMENTS,
      {
        pattern: 'retried without a budget',
        limit: 10,
      },
    );
    expect(forPayments.withheld).toBe(0);
    expect(forPayments.results.map(r => r.record?.id)).toEqual([incident]);

    const graph = queryGraph(snapshot, PLATFORM);
    expect(graph.withheld).toBe(1);
    expect(graph.nodes.map(n => n.id)).not.toContain(incident);
    expect(
      graph.edges.some(e => e.from === incident || e.to === incident),
    ).toBe(false);
    const around = queryGraph(snapshot, PLATFORM, {
      around: 'services/payments-api',
    });
    expect(around.nodes.map(n => n.id)).not.toContain(incident);
    expect(queryGraph(snapshot, PAYMENTS).nodes.map(n => n.id)).toContain(
      incident,
    );
  });

  it('traverses edges from a record, filtered by kind', async () => {
    const memory = service();
    const { snapshot } = await memory.snapshot('acme', {
      ref: repository.first,
    });
    const graph = queryGraph(snapshot, PLATFORM, {
      around: 'services/payments-api',
      depth: 1,
      kinds: ['service', 'team'],
    });
    expect(graph.nodes.map(n => n.id).sort()).toEqual([
      'services/ledger',
      'services/payments-api',
      'teams/payments',
    ]);
    expect(graph.edges).toEqual(
      expect.arrayContaining([
        { from: 'teams/payments', to: 'services/payments-api', kind: 'owns' },
        {
          from: 'services/payments-api',
          to: 'services/ledger',
          kind: 'depends-on',
        },
      ]),
    );
    expect(graph.nodes.find(n => n.id === 'services/payments-api')).toEqual({
      id: 'services/payments-api',
      kind: 'service',
      title: 'payments-api',
      path: 'services/payments-api.md',
      owner: 'group:default/payments',
      repositories: ['acme/payments-api'],
    });
  });

  it('reports records that break the ontology with their file and field', async () => {
    const broken = repository.commit('2026-12-04T10:00:00Z', {
      'services/orphan.md': `---
kind: service
edges:
  depends-on: [services/nowhere]
---
# orphan
`,
    });
    const status = await service().status('acme', { ref: broken });
    expect(status.ontology.valid).toBe(false);
    expect(status.ontology.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'services/orphan.md', field: 'owner' }),
        expect.objectContaining({
          file: 'services/orphan.md',
          field: 'edges.depends-on[0]',
        }),
      ]),
    );
  });
});
