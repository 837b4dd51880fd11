import { PermissionReviewStep } from '@krate/plugin-agents-common';
import { CatalogDirectory } from './CatalogDirectory';
import { ReviewedIdentity } from './evaluateAction';
import { subjectKey } from './subjectRefs';

/** A user as the bindings see them: the user and the teams the catalog says they are in. */
export async function userIdentity(
  userRef: string,
  directory: CatalogDirectory,
): Promise<{ identity: ReviewedIdentity; chain: PermissionReviewStep[] }> {
  const membership = await directory.membershipOf(userRef);
  const keys = new Set([subjectKey('user', userRef)]);
  if (!membership.found) {
    return {
      identity: { keys, label: userRef },
      chain: [
        {
          kind: 'membership',
          ref: userRef,
          satisfied: false,
          detail:
            membership.why === 'not-in-catalog'
              ? 'is not in the catalog: its teams are unknown, so only bindings naming the user count'
              : 'could not be looked up in the catalog: its teams are unknown, so only bindings naming the user count',
        },
      ],
    };
  }
  for (const team of membership.teams) keys.add(subjectKey('team', team));
  return {
    identity: {
      keys,
      label: membership.teams.length
        ? `${userRef} or their teams ${membership.teams.join(', ')}`
        : userRef,
    },
    chain: membership.teams.map(team => ({
      kind: 'membership' as const,
      ref: team,
      satisfied: true,
      detail: `${userRef} is a member (catalog memberOf)`,
    })),
  };
}
