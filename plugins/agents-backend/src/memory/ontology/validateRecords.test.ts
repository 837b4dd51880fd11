import { MemoryRecord } from './MemoryRecord';
import { Ontology } from './Ontology';
import { parseOntology } from './parseOntology';
import { parseRecord } from './parseRecord';
import { EXAMPLE_ONTOLOGY } from './__testUtils__/exampleOntology';
import { validateRecords } from './validateRecords';

const ontology: Ontology = parseOntology(EXAMPLE_ONTOLOGY).ontology!;

function record(path: string, ...lines: string[]): MemoryRecord {
  const { record: parsed, errors } = parseRecord(path, lines.join('\n'));
  expect(errors).toEqual([]);
  return parsed!;
}

const REPOSITORY = [
  record(
    'MEMORY.md',
    '# Company brain',
    '',
    '- [Payments](teams/payments.md) runs [the payments API](services/payments-api.md).',
    '- Why we moved: [ADR 2](decisions/0002-event-sourcing.md).',
  ),
  record(
    'teams/payments.md',
    '---',
    'kind: team',
    'owner: group:default/payments',
    'edges: { owns: [services/payments-api] }',
    '---',
    '# Payments team',
  ),
  record(
    'services/payments-api.md',
    '---',
    'kind: service',
    'owner: group:default/payments',
    'tier: gold',
    'stewards: [user:default/ana]',
    'edges:',
    '  depends-on: [services/ledger]',
    '  documented-in: [MEMORY]',
    '---',
    '# Payments API',
    'Owned by [payments](../teams/payments.md).',
  ),
  record(
    'services/ledger.md',
    '---',
    'kind: service',
    'owner: group:default/finance',
    '---',
  ),
  record(
    'decisions/0001-batch-settlement.md',
    '---',
    'kind: decision',
    'status: superseded',
    '---',
  ),
  record(
    'decisions/0002-event-sourcing.md',
    '---',
    'kind: decision',
    'status: accepted',
    'reviewed: 2024-05-01',
    'edges: { supersedes: [decisions/0001-batch-settlement] }',
    '---',
  ),
];

function withRecord(path: string, ...lines: string[]) {
  return validateRecords(ontology, [...REPOSITORY, record(path, ...lines)]);
}

describe('validateRecords', () => {
  it('finds no issue in a well-formed repository and keeps its graph', () => {
    expect(validateRecords(ontology, REPOSITORY)).toEqual([]);
    expect(REPOSITORY.map(r => [r.id, r.kind, r.edges, r.links])).toEqual([
      [
        'MEMORY',
        'document',
        {},
        [
          'teams/payments',
          'services/payments-api',
          'decisions/0002-event-sourcing',
        ],
      ],
      ['teams/payments', 'team', { owns: ['services/payments-api'] }, []],
      [
        'services/payments-api',
        'service',
        { 'depends-on': ['services/ledger'], 'documented-in': ['MEMORY'] },
        ['teams/payments'],
      ],
      ['services/ledger', 'service', {}, []],
      ['decisions/0001-batch-settlement', 'decision', {}, []],
      [
        'decisions/0002-event-sourcing',
        'decision',
        { supersedes: ['decisions/0001-batch-settlement'] },
        [],
      ],
    ]);
  });

  it('reports an unknown kind once', () => {
    expect(
      withRecord(
        'x.md',
        '---',
        'kind: servce',
        'edges: { depends-on: [nowhere] }',
        '---',
      ),
    ).toEqual([
      {
        file: 'x.md',
        field: 'kind',
        message:
          "'servce' is not a node kind of the ontology (known: document, service, team, runbook, decision)",
      },
      {
        file: 'x.md',
        field: 'edges.depends-on[0]',
        message: "points to 'nowhere', which is not the id of any record",
      },
    ]);
  });

  it('reports missing required fields and wrongly typed fields', () => {
    expect(
      withRecord(
        'services/x.md',
        '---',
        'kind: service',
        'tier: 1',
        'launched: 2024-13-01',
        'stewards: [user:default/ana, bob]',
        '---',
      ),
    ).toEqual([
      {
        file: 'services/x.md',
        field: 'owner',
        message: 'is required for records of kind service',
      },
      {
        file: 'services/x.md',
        field: 'tier',
        message: 'must be a string, not a number',
      },
      {
        file: 'services/x.md',
        field: 'launched',
        message: "must be an ISO date like 2024-05-01, not '2024-13-01'",
      },
      {
        file: 'services/x.md',
        field: 'stewards[1]',
        message: "must be an entity ref like group:default/payments, not 'bob'",
      },
    ]);
  });

  it('reports a value outside an enum', () => {
    expect(
      withRecord(
        'decisions/3.md',
        '---',
        'kind: decision',
        'status: done',
        '---',
      ),
    ).toEqual([
      {
        file: 'decisions/3.md',
        field: 'status',
        message: "must be one of proposed, accepted, superseded, not 'done'",
      },
    ]);
  });

  it('reports unknown edge kinds and edges between kinds the ontology does not allow', () => {
    expect(
      withRecord(
        'services/x.md',
        '---',
        'kind: service',
        'owner: group:default/payments',
        'edges:',
        '  calls: [services/ledger]',
        '  owns: [services/ledger]',
        '  documented-in: [services/ledger]',
        '  depends-on: [services/ledger, decisions/0001-batch-settlement, services/gone]',
        '---',
      ),
    ).toEqual([
      {
        file: 'services/x.md',
        field: 'edges.calls',
        message:
          "'calls' is not an edge kind of the ontology (known: links-to, owns, depends-on, supersedes, documented-in)",
      },
      {
        file: 'services/x.md',
        field: 'edges.owns',
        message:
          'records of kind service cannot have owns edges; they go from team',
      },
      {
        file: 'services/x.md',
        field: 'edges.documented-in[0]',
        message:
          "points to 'services/ledger' of kind service; documented-in edges point to runbook, document",
      },
      {
        file: 'services/x.md',
        field: 'edges.depends-on[1]',
        message:
          "points to 'decisions/0001-batch-settlement' of kind decision; depends-on edges point to service",
      },
      {
        file: 'services/x.md',
        field: 'edges.depends-on[2]',
        message: "points to 'services/gone', which is not the id of any record",
      },
    ]);
  });

  it('reports every file of a duplicated id', () => {
    expect(
      withRecord(
        'services/ledger-v2.md',
        '---',
        'kind: service',
        'id: services/ledger',
        'owner: group:default/finance',
        '---',
      ),
    ).toEqual([
      {
        file: 'services/ledger.md',
        field: 'id',
        message: "'services/ledger' is also the id of services/ledger-v2.md",
      },
      {
        file: 'services/ledger-v2.md',
        field: 'id',
        message: "'services/ledger' is also the id of services/ledger.md",
      },
    ]);
  });
});
