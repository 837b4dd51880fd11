import { AgentStack } from '@krate/plugin-agents-common';
import { AgentsResource } from '../../api';
import {
  GrantSource,
  grantDraft,
  serviceAccountDraft,
  unusedName,
} from '../AccessFrame';

/** The objects a stack's key needs are read from: its MCP servers and skills, and the grants. */
export interface StackNeedObjects {
  mcpServers: AgentsResource[];
  /** The stack's skills and its subagents'. */
  skills: AgentsResource[];
  secretGrants: AgentsResource[];
  configGrants: AgentsResource[];
}

/** One Secret or ConfigMap key an MCP server or skill of the stack needs. */
export interface KeyNeed {
  source: GrantSource;
  name: string;
  key: string;
  consumer: { kind: 'mcp-server' | 'skill'; name: string };
  /** Where the need is declared, e.g. `AgentMcpServer/github spec.secretRefs[0]`. */
  field: string;
}

type KeyRef = { name: string; key: string };

/** The keys the stack's MCP servers and skills declare, as the stack controller reads them. */
export function keyNeeds(objects: StackNeedObjects): KeyNeed[] {
  const needs: KeyNeed[] = [];
  for (const server of objects.mcpServers) {
    const { name } = server.metadata;
    ((server.spec?.secretRefs ?? []) as KeyRef[]).forEach((ref, i) =>
      needs.push({
        source: 'Secret',
        ...ref,
        consumer: { kind: 'mcp-server', name },
        field: `AgentMcpServer/${name} spec.secretRefs[${i}]`,
      }),
    );
  }
  const skills = new Map(objects.skills.map(s => [s.metadata.name, s]));
  for (const [name, skill] of skills) {
    for (const [source, field] of [
      ['Secret', 'requiredSecrets'],
      ['ConfigMap', 'requiredConfig'],
    ] as const) {
      ((skill.spec?.[field] ?? []) as KeyRef[]).forEach((ref, i) =>
        needs.push({
          source,
          ...ref,
          consumer: { kind: 'skill', name },
          field: `AgentSkill/${name} spec.${field}[${i}]`,
        }),
      );
    }
  }
  return needs;
}

const SOURCE_FIELD = { Secret: 'secretName', ConfigMap: 'configMapName' };
const CONSUMER_KINDS = ['tool', 'skill', 'mcp-server'];

/**
 * Whether a grant gives the identity the key for the consumer, by the stack controller's rules:
 * it names the identity as an `agent` subject, is scoped to the consumer or to no consumer, is
 * not past its expiry, and its status does not say it expired or misses the key.
 */
export function grantCovers(
  grant: AgentsResource,
  need: KeyNeed,
  identity: string,
  now: Date,
): boolean {
  const spec = grant.spec ?? {};
  const status = grant.status ?? {};
  if (spec[SOURCE_FIELD[need.source]] !== need.name) return false;
  if (!((spec.keys ?? []) as string[]).includes(need.key)) return false;
  if (spec.expiresAt && Date.parse(spec.expiresAt as string) <= now.getTime()) {
    return false;
  }
  const missingKeys = status.missingKeys as string[] | undefined;
  if (status.state === 'expired') return false;
  if (status.state === 'missing' && !missingKeys?.length) return false;
  if (missingKeys?.includes(need.key)) return false;
  const subjects = (spec.subjects ?? []) as { kind: string; name: string }[];
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

const unique = <T>(items: T[], key: (item: T) => string) => [
  ...new Map(items.map(item => [key(item), item])).values(),
];

/**
 * The grants that would make the stack's runtime identity hold every key its MCP servers and
 * skills need and no live grant covers: one per Secret or ConfigMap, of the missing keys, to
 * `agent:<identity>` scoped to the consumers that need them.
 */
export function preparedGrants(
  stack: AgentStack,
  objects: StackNeedObjects,
  now: Date,
): AgentsResource[] {
  const identity = stack.spec.runtimeServiceAccountName;
  if (!identity) return [];
  const { namespace, name: stackName } = stack.metadata;
  const grants = {
    Secret: objects.secretGrants,
    ConfigMap: objects.configGrants,
  };
  const unmet = keyNeeds(objects).filter(
    need => !grants[need.source].some(g => grantCovers(g, need, identity, now)),
  );
  const groups = new Map<string, KeyNeed[]>();
  for (const need of unmet) {
    const group = `${need.source}/${need.name}`;
    groups.set(group, [...(groups.get(group) ?? []), need]);
  }
  return [...groups.values()].map(needs => {
    const { source, name } = needs[0];
    const keys = [...new Set(needs.map(n => n.key))];
    const consumers = unique(
      needs.map(n => n.consumer),
      c => `${c.kind}/${c.name}`,
    );
    return grantDraft({
      namespace,
      name: unusedName(
        `${stackName}-${name}`,
        grants[source].map(g => g.metadata.name),
      ),
      source,
      sourceName: name,
      keys,
      subjects: [{ kind: 'agent', name: identity }, ...consumers],
      purpose: `${consumers
        .map(c => `${c.kind} ${c.name}`)
        .join(
          ', ',
        )} of AgentStack ${namespace}/${stackName} need ${source} ${name} key${
        keys.length > 1 ? 's' : ''
      } ${keys.join(', ')}`,
    });
  });
}

/** The AgentServiceAccounts the stack names and that do not exist, with the purpose it uses them for. */
export function preparedServiceAccounts(
  stack: AgentStack,
  exists: (name: string) => boolean,
): AgentsResource[] {
  const named = [
    [stack.spec.runtimeServiceAccountName, 'agent'],
    [stack.spec.runnerPolicy?.serviceAccountName, 'runner'],
  ] as const;
  return unique(
    named.filter(
      (entry): entry is readonly [string, 'agent' | 'runner'] =>
        Boolean(entry[0]) && !exists(entry[0]!),
    ),
    ([name]) => name,
  ).map(([name, purpose]) =>
    serviceAccountDraft(stack.metadata.namespace, name, purpose),
  );
}
