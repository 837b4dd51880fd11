import { parseRecord } from './parseRecord';

const SERVICE = [
  '---',
  'kind: service',
  'owner: group:default/payments',
  'repositories: [acme/payments-api, component:default/payments-api]',
  'visibility: team:group:default/payments',
  'reviewed: 2024-05-01',
  'sources: [src/README.md, https://wiki.example.com/payments]',
  'edges:',
  '  depends-on: [services/ledger]',
  'tier: gold',
  '---',
  '# Payments API',
  '',
  'Owned by [the payments team](../teams/payments.md#on-call).',
].join('\n');

describe('parseRecord', () => {
  it('reads the front matter and body of a record', () => {
    const { record, errors } = parseRecord(
      './services/payments-api.md',
      SERVICE,
    );

    expect(errors).toEqual([]);
    expect(record).toMatchObject({
      path: 'services/payments-api.md',
      id: 'services/payments-api',
      kind: 'service',
      title: 'Payments API',
      owner: 'group:default/payments',
      repositories: ['acme/payments-api', 'component:default/payments-api'],
      visibility: 'team:group:default/payments',
      reviewed: '2024-05-01',
      sources: ['src/README.md', 'https://wiki.example.com/payments'],
      edges: { 'depends-on': ['services/ledger'] },
      links: ['teams/payments'],
      fields: { tier: 'gold' },
      bodyLineOffset: 11,
    });
    expect(record!.body.split('\n')[0]).toBe('# Payments API');
  });

  it('reads \\r\\n line ends and takes id and title from the front matter', () => {
    const text =
      '---\r\nkind: team\r\nid: payments\r\ntitle: Payments\r\n---\r\n# Other\r\n';
    const { record, errors } = parseRecord('teams/payments-team.md', text);

    expect(errors).toEqual([]);
    expect(record).toMatchObject({
      id: 'payments',
      title: 'Payments',
      visibility: 'org',
      repositories: [],
      sources: [],
      edges: {},
      bodyLineOffset: 5,
    });
  });

  it('titles a record without a heading by its id', () => {
    const { record } = parseRecord('notes/a.md', '---\nkind: note\n---\ntext');
    expect(record?.title).toBe('notes/a');
  });

  it('reads a file without front matter as a document', () => {
    const { record, errors } = parseRecord(
      'MEMORY.md',
      '# Company brain\n\nSee [payments](services/payments-api.md).\n',
    );

    expect(errors).toEqual([]);
    expect(record).toMatchObject({
      id: 'MEMORY',
      kind: 'document',
      title: 'Company brain',
      links: ['services/payments-api'],
      bodyLineOffset: 0,
    });
  });

  it('refuses front matter that is never closed', () => {
    expect(parseRecord('a.md', '---\nkind: service\n# A\n')).toEqual({
      errors: [
        {
          file: 'a.md',
          field: 'front matter',
          line: 1,
          message: 'opens with --- on line 1 but no later --- line closes it',
        },
      ],
    });
  });

  it('reports a YAML syntax error at its file line', () => {
    const { record, errors } = parseRecord(
      'a.md',
      '---\nkind: service\nowner: [group:default/a\n---\n',
    );

    expect(record).toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      file: 'a.md',
      field: 'front matter',
      line: 3,
    });
    expect(errors[0].message).toMatch(/^malformed YAML at line 3: /);
  });

  it('refuses duplicate keys', () => {
    const { errors } = parseRecord('a.md', '---\nkind: a\nkind: b\n---\n');
    expect(errors).toEqual([
      expect.objectContaining({ field: 'front matter', line: 3 }),
    ]);
    expect(errors[0].message).toMatch(/unique/i);
  });

  it('refuses an alias bomb instead of expanding it', () => {
    const bomb = [
      '---',
      'kind: service',
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
      '---',
    ].join('\n');

    expect(parseRecord('bomb.md', bomb)).toEqual({
      errors: [
        {
          file: 'bomb.md',
          field: 'front matter',
          message: 'aliases expand more than 100 times (an alias bomb)',
        },
      ],
    });
  });

  it('refuses unknown tags and deep nesting', () => {
    const tagged = parseRecord('a.md', '---\nkind: !!binary aGk=\n---\n');
    expect(tagged.record).toBeUndefined();
    expect(tagged.errors[0].message).toMatch(/^unsupported YAML at line 2/);

    const deep = parseRecord('a.md', `---\nkind: ${'['.repeat(200)}\n---\n`);
    expect(deep.errors).toEqual([
      expect.objectContaining({ file: 'a.md', field: 'front matter', line: 2 }),
    ]);
    expect(deep.errors[0].message).toMatch(/nests deeper than 64 levels/);
  });

  it('refuses front matter that is not one mapping', () => {
    const issue = (text: string) => parseRecord('a.md', text).errors;

    expect(issue('---\n- kind: service\n---\n')).toEqual([
      {
        file: 'a.md',
        field: 'front matter',
        message: 'must be a YAML mapping of fields, not a list',
      },
    ]);
    expect(issue('---\n---\nbody')[0].message).toBe(
      'must be a YAML mapping of fields, not empty',
    );
    expect(issue('---\nkind: a\n--- b\n---\n')[0].message).toBe(
      'must be one YAML document, not several',
    );
  });

  it('requires a kind', () => {
    expect(parseRecord('a.md', '---\ntitle: A\n---\n')).toEqual({
      errors: [
        {
          file: 'a.md',
          field: 'kind',
          message: 'is required: a front matter names the kind of its record',
        },
      ],
    });
    expect(parseRecord('a.md', '---\nkind: [a]\n---\n').errors).toEqual([
      { file: 'a.md', field: 'kind', message: 'must be a string, not a list' },
    ]);
  });

  it('reports badly formed built-in fields and keeps the record without them', () => {
    const text = [
      '---',
      'kind: service',
      'owner: payments',
      'repositories: [acme/payments, not a repo]',
      'visibility: team:payments',
      'reviewed: 2024-02-30',
      'sources: src/README.md',
      'edges:',
      '  depends-on: [42]',
      '  owns: [services/a]',
      '---',
    ].join('\n');
    const { record, errors } = parseRecord('services/p.md', text);

    expect(errors).toEqual([
      {
        file: 'services/p.md',
        field: 'owner',
        message:
          "must be an entity ref like group:default/payments, not 'payments'",
      },
      {
        file: 'services/p.md',
        field: 'repositories[1]',
        message:
          "must be an entity ref or an <org>/<repo> slug, not 'not a repo'",
      },
      {
        file: 'services/p.md',
        field: 'visibility',
        message:
          "must be org or team:<entity ref> such as team:group:default/payments, not 'team:payments'",
      },
      {
        file: 'services/p.md',
        field: 'reviewed',
        message: "must be an ISO date like 2024-05-01, not '2024-02-30'",
      },
      {
        file: 'services/p.md',
        field: 'sources',
        message: 'must be a list, not a string',
      },
      {
        file: 'services/p.md',
        field: 'edges.depends-on[0]',
        message: 'must be a string, not a number',
      },
    ]);
    expect(record).toMatchObject({
      kind: 'service',
      owner: undefined,
      repositories: [],
      visibility: 'org',
      reviewed: undefined,
      sources: [],
      edges: { owns: ['services/a'] },
    });
  });

  it('refuses edges that are not a mapping', () => {
    expect(
      parseRecord('a.md', '---\nkind: a\nedges: [b]\n---\n').errors,
    ).toEqual([
      {
        file: 'a.md',
        field: 'edges',
        message: 'must be a mapping of edge kind to target ids, not a list',
      },
    ]);
  });
});
