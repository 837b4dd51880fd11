import { parseOntology } from './parseOntology';
import { EXAMPLE_ONTOLOGY } from './__testUtils__/exampleOntology';

function problemsOf(text: string) {
  const { ontology, errors } = parseOntology(text);
  expect(ontology).toBeUndefined();
  return errors.map(({ file, field, message }) => {
    expect(file).toBe('ontology.yaml');
    return `${field}: ${message}`;
  });
}

describe('parseOntology', () => {
  it('reads node and edge kinds, with document and links-to built in', () => {
    const { ontology, errors } = parseOntology(EXAMPLE_ONTOLOGY);

    expect(errors).toEqual([]);
    expect([...ontology!.nodeKinds.keys()]).toEqual([
      'document',
      'service',
      'team',
      'runbook',
      'decision',
    ]);
    expect(ontology!.nodeKinds.get('service')).toEqual({
      name: 'service',
      description: 'A deployable service',
      required: ['owner'],
      fields: new Map<string, unknown>([
        ['owner', 'entityRef'],
        ['tier', 'string'],
        ['launched', 'date'],
        ['stewards', 'entityRefList'],
      ]),
    });
    expect(ontology!.nodeKinds.get('decision')!.fields.get('status')).toEqual({
      enum: ['proposed', 'accepted', 'superseded'],
    });
    expect(ontology!.edgeKinds.get('documented-in')).toEqual({
      name: 'documented-in',
      from: ['*'],
      to: ['runbook', 'document'],
    });
    expect(ontology!.edgeKinds.get('links-to')).toMatchObject({
      from: ['*'],
      to: ['*'],
    });
  });

  it('names the path of every bad node kind field', () => {
    const text = `
nodeKinds:
  service:
    required: owner
    fields: { tier: strin, owner: date, edges: stringList, status: { enum: [] } }
  team: { requird: [owner], description: 7 }
  document: {}
  bad_kind: {}
  runbook: [a]
`;
    expect(problemsOf(text)).toEqual([
      'nodeKinds.service.required: must be a list, not a string',
      "nodeKinds.service.fields.tier: has unknown field type 'strin'; use string, entityRef, date, stringList, entityRefList or { enum: [...] }",
      'nodeKinds.service.fields.owner: is a built-in field of type entityRef; it cannot be given another type',
      'nodeKinds.service.fields.edges: edges are declared under edgeKinds, not as a field',
      'nodeKinds.service.fields.status.enum: must list at least one value',
      'nodeKinds.team.requird: is not a known key; expected description, required, fields',
      'nodeKinds.team.description: must be a string, not a number',
      'nodeKinds.document: is built in: it is the kind of files without front matter',
      "nodeKinds.bad_kind: 'bad_kind' is not a kind name; use letters and digits joined by '-', such as depends-on",
      'nodeKinds.runbook: must be a mapping, not a list',
    ]);
  });

  it('names the path of every bad edge kind field', () => {
    const text = `
nodeKinds: { team: {}, service: {} }
edgeKinds:
  owns: { from: [team], to: [service, runbok] }
  depends-on: { from: service, to: [] }
  links-to: { from: ['*'], to: ['*'] }
  calls: { to: [service], via: http }
  blocks: [service]
`;
    expect(problemsOf(text)).toEqual([
      "edgeKinds.owns.to[1]: names 'runbok', which is not a node kind (known: document, team, service)",
      'edgeKinds.depends-on.from: must be a list, not a string',
      "edgeKinds.depends-on.to: must list at least one node kind or '*'",
      "edgeKinds.links-to: is built in: it is the edge of a body's Markdown links",
      'edgeKinds.calls.via: is not a known key; expected description, from, to',
      "edgeKinds.calls.from: is required: a list of node kinds or '*'",
      'edgeKinds.blocks: must be a mapping with from and to, not a list',
    ]);
  });

  it('refuses a file that is not an ontology', () => {
    expect(problemsOf('edgeKinds: {}\nnodekinds: {}\n')).toEqual([
      'nodekinds: is not a known key; expected nodeKinds, edgeKinds',
      'nodeKinds: is required: a mapping of node kind name to its definition',
    ]);
    expect(problemsOf('- service\n')).toEqual([
      'yaml: must be a YAML mapping of fields, not a list',
    ]);
    const { errors } = parseOntology('nodeKinds:\n  a: {}\n  a: {}\n');
    expect(errors).toEqual([
      expect.objectContaining({
        file: 'ontology.yaml',
        field: 'yaml',
        line: 3,
      }),
    ]);
  });
});
