import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { AgentKindDefinition } from './defineKind';
import { agentKinds, findKind } from './registry';
import { DNS_LABEL_PATTERN } from './schema';
import { validateResource } from './validate';

const repoRoot = path.resolve(__dirname, '../../../..');
const examplesDir = path.join(repoRoot, 'examples/agents');

type Doc = {
  kind: string;
  metadata: { name: string; namespace: string };
  spec: unknown;
};

function parseYaml(file: string, text: string): Doc[] {
  return parseAllDocuments(text).map((document, index) => {
    if (document.errors.length) {
      throw new Error(
        `${file} document ${index + 1}: ${document.errors[0].message}`,
      );
    }
    return document.toJS();
  });
}

const examples = fs
  .readdirSync(examplesDir)
  .filter(file => /\.ya?ml$/.test(file))
  .flatMap(file =>
    parseYaml(file, fs.readFileSync(path.join(examplesDir, file), 'utf8')).map(
      doc => [`${file}: ${doc?.kind} ${doc?.metadata?.name}`, doc] as const,
    ),
  );

/**
 * The agent resources a document names, found through the schema: a field that holds a local
 * name and whose description starts with a kind, e.g. `LocalName('AgentStack name')`.
 */
function referencesOf(
  schema: any,
  value: unknown,
  out: [string, string][] = [],
) {
  if (schema?.type === 'string' && schema.pattern === DNS_LABEL_PATTERN) {
    const kind = String(schema.description ?? '').split(' ')[0];
    if (findKind(kind) && typeof value === 'string') out.push([kind, value]);
  } else if (schema?.type === 'array' && Array.isArray(value)) {
    value.forEach(item => referencesOf(schema.items, item, out));
  } else if (schema?.type === 'object' && schema.properties && value) {
    for (const [key, property] of Object.entries(schema.properties)) {
      referencesOf(property, (value as Record<string, unknown>)[key], out);
    }
  }
  return out;
}

/** Subjects of grants, role bindings and requirements that name agent resources. */
const SUBJECT_TARGETS: Record<string, string> = {
  agent: 'AgentServiceAccount',
  'service-account': 'AgentServiceAccount',
  stack: 'AgentStack',
  runner: 'AgentServiceAccount',
  tool: 'AgentToolProfile',
  skill: 'AgentSkill',
  'mcp-server': 'AgentMcpServer',
};

describe('examples/agents', () => {
  it.each(examples)('%s is valid', (_, doc) => {
    expect(validateResource(doc)).toMatchObject({ valid: true });
    expect(doc.metadata.namespace).toBe('acme');
  });

  it.each(
    agentKinds
      .filter(k => k.category === 'configuration')
      .map(k => [k.kind] as const),
  )('have an example %s', kind => {
    expect(examples.some(([, doc]) => doc.kind === kind)).toBe(true);
  });

  it('reference only objects the examples define', () => {
    const defined = new Set(
      examples.map(([, d]) => `${d.kind}/${d.metadata.name}`),
    );
    const dangling = examples.flatMap(([label, doc]) => {
      const definition = findKind(doc.kind) as AgentKindDefinition;
      const references = referencesOf(definition.spec, doc.spec);
      const { subjects = [], subject } = doc.spec as {
        subjects?: { kind: string; name: string }[];
        subject?: { kind: string; name: string };
      };
      for (const { kind: subjectKind, name } of subject
        ? [...subjects, subject]
        : subjects) {
        const kind = SUBJECT_TARGETS[subjectKind];
        if (kind) references.push([kind, name]);
      }
      return references
        .filter(([kind, name]) => !defined.has(`${kind}/${name}`))
        .map(([kind, name]) => `${label} → ${kind}/${name}`);
    });
    expect(dangling).toEqual([]);
  });
});

describe('docs/resources.md', () => {
  const markdown = fs.readFileSync(
    path.join(repoRoot, 'docs/resources.md'),
    'utf8',
  );
  const blocks = [...markdown.matchAll(/```yaml\n([\s\S]*?)```/g)].flatMap(m =>
    parseYaml('docs/resources.md', m[1]),
  );

  it('has a valid example of every kind', () => {
    for (const doc of blocks) {
      expect([doc.kind, validateResource(doc)]).toEqual([
        doc.kind,
        expect.objectContaining({ valid: true }),
      ]);
    }
    expect(new Set(blocks.map(d => d.kind))).toEqual(
      new Set(agentKinds.map(k => k.kind)),
    );
  });

  it('shows configuration kinds exactly as examples/agents has them', () => {
    for (const doc of blocks.filter(
      d => findKind(d.kind)?.category === 'configuration',
    )) {
      const example = examples.find(
        ([, e]) => e.kind === doc.kind && e.metadata.name === doc.metadata.name,
      );
      expect(example?.[1]).toEqual(doc);
    }
  });
});
