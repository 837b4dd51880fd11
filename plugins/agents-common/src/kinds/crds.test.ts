import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { renderCrd } from './crd';
import { agentKinds } from './registry';

const crdDir = path.resolve(__dirname, '../../crds');
const configurationKinds = agentKinds.filter(
  k => k.category === 'configuration',
);

function renderFile(kind: (typeof agentKinds)[number]) {
  return `# Generated from the ${
    kind.kind
  } schema in src/kinds; do not edit.\n# Regenerate: npm run crds:update --workspace @krate/plugin-agents-common\n${stringify(
    renderCrd(kind),
  )}`;
}

describe('CRD manifests in crds/', () => {
  if (process.env.UPDATE_CRDS) {
    it('are regenerated', () => {
      fs.rmSync(crdDir, { recursive: true, force: true });
      fs.mkdirSync(crdDir);
      for (const kind of configurationKinds) {
        fs.writeFileSync(
          path.join(crdDir, `${kind.plural}.yaml`),
          renderFile(kind),
        );
      }
      expect(fs.readdirSync(crdDir)).toHaveLength(configurationKinds.length);
    });
    return;
  }

  it('exist for exactly the configuration kinds', () => {
    expect(fs.readdirSync(crdDir).sort()).toEqual(
      configurationKinds.map(k => `${k.plural}.yaml`).sort(),
    );
  });

  it.each(configurationKinds.map(k => [k.kind, k] as const))(
    'match the %s schema (run crds:update when this fails)',
    (_, kind) => {
      const onDisk = fs.readFileSync(
        path.join(crdDir, `${kind.plural}.yaml`),
        'utf8',
      );
      expect(onDisk).toBe(renderFile(kind));
    },
  );
});

describe('renderCrd', () => {
  it('renders a structural schema with the status subresource and printer columns', () => {
    const crd: any = renderCrd(agentKinds.find(k => k.kind === 'AgentStack')!);
    const version = crd.spec.versions[0];

    expect(crd.metadata.name).toBe('agentstacks.agents.krate.dev');
    expect(version.subresources).toEqual({ status: {} });
    expect(version.additionalPrinterColumns).toContainEqual({
      name: 'Runtime',
      type: 'string',
      jsonPath: '.spec.runtime',
    });
    const schemaText = JSON.stringify(version.schema);
    expect(schemaText).not.toContain('"additionalProperties":false');
    expect(schemaText).not.toContain('"const"');
    expect(version.schema.openAPIV3Schema.properties.spec.required).toContain(
      'runtime',
    );
  });

  it('gives no types inside anyOf, which an API server refuses as not structural', () => {
    const typedInsideAnyOf: string[] = [];
    const visit = (node: unknown, where: string, inAnyOf: boolean) => {
      if (typeof node !== 'object' || node === null) return;
      for (const [key, value] of Object.entries(node)) {
        if (inAnyOf && (key === 'type' || key === 'description')) {
          typedInsideAnyOf.push(`${where}.${key}`);
        }
        if (key === 'properties') {
          // Keys of a properties map are field names, not keywords.
          for (const [field, schema] of Object.entries(value as object)) {
            visit(schema, `${where}.properties.${field}`, inAnyOf);
          }
          continue;
        }
        visit(value, `${where}.${key}`, inAnyOf || key === 'anyOf');
      }
    };
    for (const kind of configurationKinds) {
      visit(renderCrd(kind), kind.kind, false);
    }
    expect(typedInsideAnyOf).toEqual([]);
  });

  it('folds a union of objects into one typed object', () => {
    const crd: any = renderCrd(agentKinds.find(k => k.kind === 'AgentStack')!);
    const query =
      crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties
        .memorySource.properties.queries.items;
    expect(query.type).toBe('object');
    expect(query.properties.type).toEqual({
      type: 'string',
      enum: ['search', 'graph', 'record'],
    });
    expect(query.properties.pattern.type).toBe('string');
    expect(query.anyOf[0]).toEqual({
      required: ['type', 'pattern'],
      properties: { type: { enum: ['search'] } },
    });
  });
});
