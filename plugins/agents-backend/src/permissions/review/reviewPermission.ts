import { NotFoundError } from '@backstage/errors';
import {
  AGENTS_REPOSITORY_ANNOTATION,
  agentsResourcePermission,
  PermissionReview,
  PermissionReviewRequest,
  PermissionReviewStep,
} from '@krate/plugin-agents-common';
import { GrantAccessReview } from '../../controllers/stack/checkGrants';
import { accessWarnings } from './accessWarnings';
import { CatalogDirectory } from './CatalogDirectory';
import { evaluateAction, ReviewedIdentity } from './evaluateAction';
import { OrgAccess } from './OrgAccess';
import { evaluateStackRun } from './stackGrantChain';
import { subjectKey } from './subjectRefs';
import { userIdentity } from './userIdentity';

const DISPATCH = agentsResourcePermission('AgentDispatchRun', 'create').name;

/**
 * Decides a review from Krate's bindings and grants: for an action, whether a binding that
 * applies gives a role with it; for a stack, whether the subject may dispatch it and, for a
 * service account, run it. The chain and reasons say why, in a stable order. With `cluster`
 * (Kubernetes mode) a service account's grants are also asked of the cluster: what it says is a
 * `cluster` step and, on a denial, a warning, as stack readiness does; it does not decide.
 */
export async function reviewPermission(
  request: PermissionReviewRequest,
  org: OrgAccess,
  directory: CatalogDirectory,
  now: Date,
  cluster?: GrantAccessReview,
): Promise<PermissionReview> {
  const { subject, action, stack: stackName } = request;
  const stack = stackName
    ? await org.reader.get('AgentStack', stackName)
    : undefined;
  if (stackName && !stack) {
    throw new NotFoundError(
      `stack: AgentStack ${org.org}/${stackName} not found`,
    );
  }
  const repository =
    request.repository ??
    stack?.metadata.annotations?.[AGENTS_REPOSITORY_ANNOTATION];
  const { identity, chain, missing } = await identityOf(
    request,
    org,
    directory,
  );
  const permission = action ?? DISPATCH;
  const evaluation = evaluateAction(
    await org.bindings(),
    identity,
    permission,
    repository,
  );
  chain.push(...evaluation.chain);
  const reasons = [...missing, ...evaluation.reasons];
  const warnings = await accessWarnings(org, directory, evaluation.applying);
  let allowed = evaluation.allowed && missing.length === 0;
  if (stack && subject.kind === 'service-account') {
    const run = await evaluateStackRun(stack, subject.name, org, now, cluster);
    chain.push(...run.chain);
    reasons.push(...run.reasons);
    warnings.push(...run.warnings);
    allowed &&= run.satisfied;
  }
  return {
    decision: allowed ? 'allowed' : 'denied',
    subject,
    ...(action ? { action } : {}),
    ...(stackName ? { stack: stackName } : {}),
    chain,
    reasons: allowed ? [] : reasons,
    warnings,
  };
}

async function identityOf(
  { subject }: PermissionReviewRequest,
  org: OrgAccess,
  directory: CatalogDirectory,
): Promise<{
  identity: ReviewedIdentity;
  chain: PermissionReviewStep[];
  missing: string[];
}> {
  if (subject.kind === 'user') {
    return { ...(await userIdentity(subject.name, directory)), missing: [] };
  }
  const identity = {
    keys: new Set([subjectKey(subject.kind, subject.name)]),
    label: subject.name,
  };
  if (subject.kind === 'team') {
    return { identity, chain: [], missing: [] };
  }
  const account = await org.reader.get('AgentServiceAccount', subject.name);
  const ref = `AgentServiceAccount/${subject.name}`;
  return {
    identity,
    chain: [
      {
        kind: 'membership',
        ref,
        satisfied: Boolean(account),
        detail: account
          ? `purpose ${account.spec.purpose}, Kubernetes ServiceAccount ${account.spec.serviceAccountName}`
          : `does not exist in ${org.org}`,
      },
    ],
    missing: account
      ? []
      : [
          `${ref} does not exist in ${org.org}: create it before binding roles or granting keys to it.`,
        ],
  };
}
