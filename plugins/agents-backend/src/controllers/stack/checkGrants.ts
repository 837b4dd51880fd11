import { AgentStack } from '@krate/plugin-agents-common';
import { StoredResource } from '../../resources/ResourceStore';
import { StackReferences } from './collectReferences';
import { NamespaceReader } from '../NamespaceReader';
import { StackProblem } from './stackConditions';

type Source = 'Secret' | 'ConfigMap';

interface Requirement {
  source: Source;
  name: string;
  key: string;
  consumer: { kind: 'mcp-server' | 'skill'; name: string };
  /** Where the need is declared, e.g. `AgentMcpServer/github spec.secretRefs[0]`. */
  field: string;
}

const GRANT_KIND: Record<Source, string> = {
  Secret: 'AgentSecretGrant',
  ConfigMap: 'AgentConfigGrant',
};
const SOURCE_FIELD: Record<Source, string> = {
  Secret: 'secretName',
  ConfigMap: 'configMapName',
};
const CONSUMER_KINDS = ['tool', 'skill', 'mcp-server'];

function requirementsOf(references: StackReferences): Requirement[] {
  const needs: Requirement[] = [];
  for (const server of references.mcpServers) {
    const refs = (server.spec.secretRefs ?? []) as {
      name: string;
      key: string;
    }[];
    refs.forEach((r, i) =>
      needs.push({
        source: 'Secret',
        name: r.name,
        key: r.key,
        consumer: { kind: 'mcp-server', name: server.metadata.name },
        field: `AgentMcpServer/${server.metadata.name} spec.secretRefs[${i}]`,
      }),
    );
  }
  const skills = new Map<string, StoredResource>();
  for (const skill of [
    ...references.skills,
    ...references.subagents.flatMap(s => s.skills),
  ]) {
    skills.set(skill.metadata.name, skill);
  }
  for (const skill of skills.values()) {
    for (const [source, field] of [
      ['Secret', 'requiredSecrets'],
      ['ConfigMap', 'requiredConfig'],
    ] as const) {
      const refs = (skill.spec[field] ?? []) as { name: string; key: string }[];
      refs.forEach((r, i) =>
        needs.push({
          source,
          name: r.name,
          key: r.key,
          consumer: { kind: 'skill', name: skill.metadata.name },
          field: `AgentSkill/${skill.metadata.name} spec.${field}[${i}]`,
        }),
      );
    }
  }
  return needs;
}

/**
 * Whether a grant gives `identity` the key for `consumer`. The values are mounted for the
 * agent's runtime identity, so a grant must name that AgentServiceAccount as an `agent`
 * subject; a grant that also names tools, skills or MCP servers is scoped to those consumers,
 * one that names none covers every consumer of the identity. A grant whose consumer subjects
 * alone match does not count: it says which consumer may use a key, not who may read it. The
 * grant must be live: not past expiresAt, not marked expired, and the key not reported missing.
 */
function covers(
  grant: StoredResource,
  need: Requirement,
  identity: string,
  now: Date,
): boolean {
  const { spec, status } = grant;
  if (spec[SOURCE_FIELD[need.source]] !== need.name) return false;
  if (!(spec.keys as string[]).includes(need.key)) return false;
  if (spec.expiresAt && Date.parse(spec.expiresAt as string) <= now.getTime()) {
    return false;
  }
  const missingKeys = status?.missingKeys as string[] | undefined;
  if (status?.state === 'expired') return false;
  if (status?.state === 'missing' && !missingKeys?.length) return false;
  if (missingKeys?.includes(need.key)) return false;
  const subjects = spec.subjects as { kind: string; name: string }[];
  if (!subjects.some(s => s.kind === 'agent' && s.name === identity)) {
    return false;
  }
  const scoped = subjects.filter(s => CONSUMER_KINDS.includes(s.kind));
  return (
    scoped.length === 0 ||
    scoped.some(
      s => s.kind === need.consumer.kind && s.name === need.consumer.name,
    )
  );
}

/** Secret and ConfigMap keys the stack's MCP servers and skills need, against the grants. */
export async function checkGrants(
  stack: AgentStack,
  references: StackReferences,
  reader: NamespaceReader,
  now: Date,
): Promise<StackProblem[]> {
  const needs = requirementsOf(references);
  if (!needs.length) return [];
  const ref = `AgentStack ${stack.metadata.namespace}/${stack.metadata.name}`;
  const describe = (items: Requirement[]) =>
    items
      .map(n => `${n.source} ${n.name} key ${n.key} (${n.field})`)
      .join(', ');
  const identity = stack.spec.runtimeServiceAccountName;
  if (!identity) {
    return [
      {
        severity: 'Invalid',
        reason: 'MissingGrant',
        message: `${ref} needs ${describe(
          needs,
        )}, but names no spec.runtimeServiceAccountName to hold grants for them. Set it to an AgentServiceAccount with purpose agent that AgentSecretGrant/AgentConfigGrant objects grant those keys to.`,
      },
    ];
  }
  // A missing identity is reported as MissingServiceAccount; grants to it mean nothing yet.
  if (!references.runtimeServiceAccount) return [];

  const [secretGrants, configGrants] = await Promise.all([
    reader.list(GRANT_KIND.Secret),
    reader.list(GRANT_KIND.ConfigMap),
  ]);
  const grants = { Secret: secretGrants, ConfigMap: configGrants };
  const unmet = needs.filter(
    need => !grants[need.source].some(g => covers(g, need, identity, now)),
  );
  if (!unmet.length) return [];
  const kinds = [...new Set(unmet.map(n => GRANT_KIND[n.source]))].join(' / ');
  const example = unmet[0].consumer;
  return [
    {
      severity: 'Invalid',
      reason: 'MissingGrant',
      message: `AgentServiceAccount/${identity}, the runtime identity of ${ref}, has no active grant for ${describe(
        unmet,
      )}. Create an ${kinds} of those keys with subject agent:${identity} (add a consumer subject such as ${
        example.kind
      }:${
        example.name
      } to scope it); grants past their expiry or with missing keys do not count.`,
    },
  ];
}
