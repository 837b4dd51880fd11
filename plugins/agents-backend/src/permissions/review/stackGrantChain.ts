import {
  AccessWarning,
  AgentStack,
  PermissionReviewStep,
  GRANT_KIND,
  grantCovers,
  grantExpired,
  grantIsLiveFor,
  SOURCE_FIELD,
  SecretNeed,
} from '@krate/plugin-agents-common';
import {
  GrantAccessReview,
  stackSecretNeeds,
} from '../../controllers/stack/checkGrants';
import { collectReferences } from '../../controllers/stack/collectReferences';
import { StoredResource } from '../../resources/ResourceStore';
import { OrgAccess } from './OrgAccess';

export interface StackRunEvaluation {
  satisfied: boolean;
  chain: PermissionReviewStep[];
  reasons: string[];
  /** Where the cluster denies what a grant gives (Kubernetes mode). */
  warnings: AccessWarning[];
}

/**
 * Whether a service account can run a stack: it must be the stack's runtime identity (or its
 * runners' account), and for the runtime identity the grants must cover every Secret and
 * ConfigMap key the stack's MCP servers and skills need — the stack controller's own rule.
 */
export async function evaluateStackRun(
  stack: StoredResource,
  account: string,
  org: OrgAccess,
  now: Date,
  cluster?: GrantAccessReview,
): Promise<StackRunEvaluation> {
  const stackRef = `AgentStack/${stack.metadata.name}`;
  const runtime = stack.spec.runtimeServiceAccountName as string | undefined;
  const runner = (stack.spec.runnerPolicy as { serviceAccountName?: string })
    ?.serviceAccountName;
  if (runtime !== account) {
    const isRunner = runner === account;
    return {
      satisfied: isRunner,
      chain: [
        {
          kind: 'requirement',
          ref: `${stackRef} spec.runtimeServiceAccountName`,
          satisfied: isRunner,
          detail: isRunner
            ? `its runners run as ${account} (spec.runnerPolicy.serviceAccountName); grants are checked for the runtime identity${
                runtime ? ` ${runtime}` : ''
              }`
            : `the stack runs as ${
                runtime ?? 'no service account'
              }, not ${account}`,
        },
      ],
      reasons: isRunner
        ? []
        : [
            `${stackRef} does not run as ${account}: set its spec.runtimeServiceAccountName to ${account} to run it under this identity.`,
          ],
      warnings: [],
    };
  }
  const references = await collectReferences(stack as AgentStack, org.reader);
  const needs = stackSecretNeeds(references);
  const chain: PermissionReviewStep[] = [
    {
      kind: 'requirement',
      ref: `${stackRef} spec.runtimeServiceAccountName`,
      satisfied: true,
      detail: needs.length
        ? `the stack runs as ${account}, which must hold grants for ${needs.length} Secret or ConfigMap keys`
        : `the stack runs as ${account} and needs no Secret or ConfigMap keys`,
    },
  ];
  const reasons: string[] = [];
  const warnings: AccessWarning[] = [];
  const grants = {
    Secret: await org.list(GRANT_KIND.Secret),
    ConfigMap: await org.list(GRANT_KIND.ConfigMap),
  };
  for (const need of needs) {
    const covering = grants[need.source].find(g =>
      grantCovers(g, need, account, now),
    );
    chain.push({
      kind: 'requirement',
      ref: need.field,
      satisfied: Boolean(covering),
      detail: `${need.consumer.kind} ${need.consumer.name} needs key ${need.key} of ${need.source} ${need.name}`,
    });
    if (covering) {
      chain.push({
        kind: 'grant',
        ref: `${covering.kind}/${covering.metadata.name}`,
        satisfied: true,
        detail: `grants key ${need.key} of ${need.source} ${need.name} to agent ${account}`,
      });
      if (cluster) {
        const { step, answer } = await askCluster(
          cluster,
          org.org,
          account,
          need,
        );
        chain.push(step);
        if (answer === false) {
          warnings.push({
            reason: 'ClusterDeniesGrant',
            object: `${covering.kind}/${covering.metadata.name}`,
            message: `${covering.kind}/${covering.metadata.name} grants ${account} key ${need.key} of ${need.source} ${need.name}, but the cluster does not let ${step.ref} get it; native RBAC is authoritative, so runs cannot read it in the cluster. Check the grant's projection and the cluster's Roles and RoleBindings.`,
          });
        }
      }
      continue;
    }
    chain.push(...nearMisses(grants[need.source], need, account, now));
    reasons.push(
      `No active ${GRANT_KIND[need.source]} gives agent ${account} key ${
        need.key
      } of ${need.source} ${need.name} for ${need.consumer.kind} ${
        need.consumer.name
      } (${
        need.field
      }); create one with subject agent:${account} (optionally scoped with ${
        need.consumer.kind
      }:${need.consumer.name}).`,
    );
  }
  return { satisfied: reasons.length === 0, chain, reasons, warnings };
}

const CLUSTER_RESOURCE = { Secret: 'secrets', ConfigMap: 'configmaps' };

/** What the cluster says of the native ServiceAccount (named as the AgentServiceAccount). */
async function askCluster(
  cluster: GrantAccessReview,
  org: string,
  account: string,
  need: SecretNeed,
): Promise<{ step: PermissionReviewStep; answer: boolean | 'unknown' }> {
  const namespace = cluster.clusterNamespace(org);
  const answer = await cluster.can(
    { namespace, name: account },
    'get',
    CLUSTER_RESOURCE[need.source],
    need.name,
  );
  const what = `get ${need.source} ${need.name}`;
  return {
    answer,
    step: {
      kind: 'cluster',
      ref: `ServiceAccount ${namespace}/${account}`,
      satisfied: answer === true,
      detail:
        answer === 'unknown'
          ? `the cluster could not be asked whether it may ${what}`
          : `the cluster ${answer ? 'lets' : 'does not let'} it ${what}`,
    },
  };
}

/** Grants of the same Secret or ConfigMap to the account that still do not cover the need. */
function nearMisses(
  grants: StoredResource[],
  need: SecretNeed,
  account: string,
  now: Date,
): PermissionReviewStep[] {
  return grants
    .filter(
      g =>
        g.spec[SOURCE_FIELD[need.source]] === need.name &&
        (g.spec.subjects as { kind: string; name: string }[]).some(
          s => s.kind === 'agent' && s.name === account,
        ),
    )
    .map(g => {
      let why = `is scoped to other consumers than ${need.consumer.kind} ${need.consumer.name}`;
      if (!(g.spec.keys as string[]).includes(need.key)) {
        why = `does not grant key ${need.key}`;
      } else if (grantExpired(g, now)) {
        why = 'has expired';
      } else if (!grantIsLiveFor(g, need, now)) {
        why = `reports key ${need.key} missing`;
      }
      return {
        kind: 'grant' as const,
        ref: `${g.kind}/${g.metadata.name}`,
        satisfied: false,
        detail: `names agent ${account} for ${need.source} ${need.name} but ${why}`,
      };
    });
}
