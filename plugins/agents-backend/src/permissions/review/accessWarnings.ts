import { AccessWarning } from '@krate/plugin-agents-common';
import { StoredResource } from '../../resources/ResourceStore';
import {
  applyingBindings,
  bindingRef,
  permissionsOf,
  roleOf,
  roleRefOf,
  specOf,
} from './bindingRoles';
import { CatalogDirectory } from './CatalogDirectory';
import { OrgAccess } from './OrgAccess';
import { userIdentity } from './userIdentity';

const LISTED = 8;
const DRIFTED = ['Drifted', 'Missing'];

/**
 * What is wrong with each of `bindings` (default: all of the org's): a role Krate does not
 * ship, a native RoleBinding that drifted or is missing, and escalation — a role granting
 * permissions its owner (the creator, from the audit trail) does not hold through their own
 * other bindings at the same scope. Service principals, such as the bootstrap, are exempt.
 */
export async function accessWarnings(
  org: OrgAccess,
  directory: CatalogDirectory,
  bindings?: StoredResource[],
): Promise<AccessWarning[]> {
  const all = await org.bindings();
  const warnings: AccessWarning[] = [];
  for (const binding of bindings ?? all) {
    const object = bindingRef(binding);
    const role = roleOf(binding);
    if (!role) {
      warnings.push({
        reason: 'UnknownRole',
        object,
        message: `${object} refers to ${roleRefOf(
          binding,
        )}, which is not a role Krate ships (see GET /permissions/overview): what it grants is unknown, so reviews count it as granting nothing.`,
      });
    }
    const drift = binding.status?.drift as string | undefined;
    if (drift && DRIFTED.includes(drift)) {
      const details = (binding.status?.driftDetails as string[] | undefined)
        ?.length
        ? `: ${(binding.status!.driftDetails as string[]).join('; ')}`
        : '';
      warnings.push({
        reason: 'Drift',
        object,
        message: `The native RoleBinding of ${object} is ${drift}${details}. Native RBAC is authoritative in the cluster until the projection applies it again.`,
      });
    }
    const escalation =
      role && (await escalationOf(org, directory, binding, all, role));
    if (escalation) warnings.push(escalation);
  }
  return warnings;
}

async function escalationOf(
  org: OrgAccess,
  directory: CatalogDirectory,
  binding: StoredResource,
  all: StoredResource[],
  role: { permissions: string[] },
): Promise<AccessWarning | undefined> {
  const owner = await org.ownerOf(binding);
  if (!owner || !owner.startsWith('user:')) return undefined;
  const { identity } = await userIdentity(owner, directory);
  const scope = specOf(binding).repository;
  const held = permissionsOf(
    applyingBindings(
      all.filter(b => b.metadata.name !== binding.metadata.name),
      identity.keys,
      scope,
    ),
  );
  // What the owner could do with it matters more than what they could read.
  const extra = role.permissions
    .filter(p => !held.has(p))
    .sort((a, b) => Number(a.endsWith('.read')) - Number(b.endsWith('.read')));
  if (!extra.length) return undefined;
  const object = bindingRef(binding);
  const listed = extra.slice(0, LISTED).join(', ');
  const more =
    extra.length > LISTED ? ` and ${extra.length - LISTED} more` : '';
  return {
    reason: 'Escalation',
    object,
    message: `${object}, created by ${owner}, grants ${listed}${more} through ${roleRefOf(
      binding,
    )}, which ${owner} does not hold through their own bindings${
      scope ? ` for repository ${scope}` : ' in the whole org'
    }. Have someone who holds them review it, or bind a smaller role.`,
  };
}
