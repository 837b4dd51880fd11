import { AgentWorkspacePolicy } from '@krate/plugin-agents-common';
import { TrustTier } from './refTrust';

/**
 * Whether work of `tier` may share workspaces under `policy`: the policy provisions in `reuse`
 * mode and does not isolate the tier. Only trusted work ever shares: untrusted and forked refs
 * always get an isolated workspace, whatever a policy says.
 */
export function sharesWorkspaces(
  policy: AgentWorkspacePolicy | undefined,
  tier: TrustTier,
): boolean {
  if (!policy || policy.spec.provisioning.mode !== 'reuse') {
    return false;
  }
  if (tier !== 'trusted') {
    return false;
  }
  const isolation =
    policy.spec.trustTiers?.find(t => t.tier === tier)?.isolation ?? 'shared';
  return isolation === 'shared';
}
