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

/** Asks the cluster what a ServiceAccount may do (Kubernetes mode); see ClusterAccessReview. */
export interface GrantAccessReview {
  /** The cluster namespace of an org. */
  clusterNamespace(org: string): string;
  can(
    serviceAccount: { namespace: string; name: string },
    verb: string,
    resource: string,
    resourceName?: string,
  ): Promise<boolean | 'unknown'>;
}

const CLUSTER_RESOURCE: Record<Source, string> = {
  Secret: 'secrets',
  ConfigMap: 'configmaps',
};
const IDENTITY_SUBJECTS = ['agent', 'runner'];

/**
 * Native RBAC is authoritative: for every live grant to the stack's runtime or runner service
 * account, asks the cluster whether that ServiceAccount can read the granted Secret or
 * ConfigMap, and warns where the cluster says no. An answer of `unknown` says nothing.
 */
export async function checkClusterGrants(
  stack: AgentStack,
  references: StackReferences,
  reader: NamespaceReader,
  review: GrantAccessReview,
  now: Date,
): Promise<StackProblem[]> {
  const accounts = [
    references.runtimeServiceAccount,
    references.runnerServiceAccount,
  ]
    .filter((a): a is StoredResource => a !== undefined)
    .map(a => a.metadata.name);
  if (!accounts.length) return [];
  const namespace = review.clusterNamespace(stack.metadata.namespace);
  const questions: {
    account: string;
    source: Source;
    name: string;
    grant: string;
  }[] = [];
  for (const source of ['Secret', 'ConfigMap'] as const) {
    for (const grant of await reader.list(GRANT_KIND[source])) {
      const { spec, status } = grant;
      if (status?.state === 'expired') continue;
      if (
        spec.expiresAt &&
        Date.parse(spec.expiresAt as string) <= now.getTime()
      ) {
        continue;
      }
      const subjects = spec.subjects as { kind: string; name: string }[];
      for (const account of new Set(accounts)) {
        if (
          subjects.some(
            s => IDENTITY_SUBJECTS.includes(s.kind) && s.name === account,
          )
        ) {
          questions.push({
            account,
            source,
            name: spec[SOURCE_FIELD[source]] as string,
            grant: `${GRANT_KIND[source]}/${grant.metadata.name}`,
          });
        }
      }
    }
  }
  const answers = await Promise.all(
    questions.map(q =>
      review.can(
        { namespace, name: q.account },
        'get',
        CLUSTER_RESOURCE[q.source],
        q.name,
      ),
    ),
  );
  const denied = questions.filter((_, i) => answers[i] === false);
  if (!denied.length) return [];
  const ref = `AgentStack ${stack.metadata.namespace}/${stack.metadata.name}`;
  return [
    {
      severity: 'Warning',
      reason: 'ClusterDeniesGrant',
      message: `The cluster does not let ${denied
        .map(
          q =>
            `ServiceAccount ${namespace}/${q.account} get ${q.source} ${q.name} (granted by ${q.grant})`,
        )
        .join(
          ', ',
        )}; native RBAC is authoritative, so runs of ${ref} cannot read them in the cluster. Check the grant's Projected and InSync conditions and the cluster's Roles and RoleBindings.`,
    },
  ];
}
