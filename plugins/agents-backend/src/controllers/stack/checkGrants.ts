import {
  AgentStack,
  GRANT_KIND,
  grantCovers,
  SOURCE_FIELD,
  describeNeed,
  SecretNeed,
  secretNeedsOf,
} from '@krate/plugin-agents-common';
import { StoredResource } from '../../resources/ResourceStore';
import { StackReferences } from './collectReferences';
import { NamespaceReader } from '../NamespaceReader';
import { StackProblem } from './stackConditions';
import { SecretObjectKind } from '@krate/plugin-agents-node';

type Source = SecretObjectKind;

const named = (object: StoredResource) => ({
  name: object.metadata.name,
  spec: object.spec,
});

/** The keys the stack's MCP servers and skills (its subagents' too) need. */
export function stackSecretNeeds(references: StackReferences): SecretNeed[] {
  return secretNeedsOf({
    mcpServers: references.mcpServers.map(named),
    skills: [
      ...references.skills,
      ...references.subagents.flatMap(s => s.skills),
    ].map(named),
  });
}

/** Secret and ConfigMap keys the stack's MCP servers and skills need, against the grants. */
export async function checkGrants(
  stack: AgentStack,
  references: StackReferences,
  reader: NamespaceReader,
  now: Date,
): Promise<StackProblem[]> {
  const needs = stackSecretNeeds(references);
  if (!needs.length) return [];
  const ref = `AgentStack ${stack.metadata.namespace}/${stack.metadata.name}`;
  const describe = (items: SecretNeed[]) => items.map(describeNeed).join(', ');
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
    need => !grants[need.source].some(g => grantCovers(g, need, identity, now)),
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
