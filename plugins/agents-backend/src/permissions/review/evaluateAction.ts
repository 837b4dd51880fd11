import { PermissionReviewStep } from '@krate/plugin-agents-common';
import { StoredResource } from '../../resources/ResourceStore';
import {
  bindingRef,
  matchedSubject,
  roleOf,
  roleRefOf,
  rolesGranting,
  scopeApplies,
  specOf,
} from './bindingRoles';

/** Who a review is about, as the binding subjects that stand for them. */
export interface ReviewedIdentity {
  /** Subject keys (see subjectKey): the subject itself and, for a user, their teams. */
  keys: ReadonlySet<string>;
  /** For messages, e.g. `user:default/alice or their teams group:default/payments`. */
  label: string;
}

export interface ActionEvaluation {
  allowed: boolean;
  chain: PermissionReviewStep[];
  reasons: string[];
  /** The bindings that name the identity and apply to the repository. */
  applying: StoredResource[];
}

/**
 * Whether some binding of the org gives the identity a role that grants the permission. Every
 * binding is a step, in name order; each that applies is followed by its role.
 */
export function evaluateAction(
  bindings: StoredResource[],
  identity: ReviewedIdentity,
  permission: string,
  repository: string | undefined,
): ActionEvaluation {
  const chain: PermissionReviewStep[] = [];
  const applying: StoredResource[] = [];
  const outOfScope: StoredResource[] = [];
  const unknownRoles: StoredResource[] = [];
  let allowed = false;
  for (const binding of bindings) {
    const ref = bindingRef(binding);
    const subject = matchedSubject(binding, identity.keys);
    const scope = specOf(binding).repository;
    if (!subject) {
      chain.push({
        ref,
        kind: 'binding',
        satisfied: false,
        detail: `does not name ${identity.label}`,
      });
      continue;
    }
    if (!scopeApplies(binding, repository)) {
      outOfScope.push(binding);
      chain.push({
        ref,
        kind: 'binding',
        satisfied: false,
        detail: `names ${subject} but applies only to repository ${scope}, not ${
          repository ?? 'the whole org'
        }`,
      });
      continue;
    }
    applying.push(binding);
    chain.push({
      ref,
      kind: 'binding',
      satisfied: true,
      detail: `names ${subject}; applies to ${
        scope ? `repository ${scope}` : 'the whole org'
      }`,
    });
    const role = roleOf(binding);
    const grants = role?.permissions.includes(permission) ?? false;
    allowed ||= grants;
    if (!role) unknownRoles.push(binding);
    chain.push({
      ref: roleRefOf(binding),
      kind: 'role',
      satisfied: grants,
      detail: !role
        ? 'is not a role Krate ships: the permissions it grants are unknown, so it grants nothing here'
        : `${grants ? 'grants' : 'does not grant'} ${permission}`,
    });
  }
  return {
    allowed,
    chain,
    applying,
    reasons: allowed
      ? []
      : denialReasons(identity, permission, applying, outOfScope, unknownRoles),
  };
}

function denialReasons(
  identity: ReviewedIdentity,
  permission: string,
  applying: StoredResource[],
  outOfScope: StoredResource[],
  unknownRoles: StoredResource[],
): string[] {
  const fix = `bind them to a role that grants it (${rolesGranting(
    permission,
  ).join(', ')})`;
  const reasons: string[] = [];
  if (!applying.length) {
    reasons.push(
      `No AgentRoleBinding that applies here names ${identity.label}; to allow ${permission}, ${fix}.`,
    );
  } else {
    const known = applying.filter(b => roleOf(b));
    if (known.length) {
      reasons.push(
        `The roles bound to ${identity.label} (${[
          ...new Set(known.map(roleRefOf)),
        ].join(', ')}) do not grant ${permission}; ${fix}.`,
      );
    }
  }
  for (const binding of outOfScope) {
    reasons.push(
      `${bindingRef(binding)} applies only to repository ${
        specOf(binding).repository
      }; review that repository, or remove spec.repository to bind the whole org.`,
    );
  }
  for (const binding of unknownRoles) {
    reasons.push(
      `${bindingRef(binding)} refers to ${roleRefOf(
        binding,
      )}, which is not a role Krate ships; refer to one of its ClusterRoles instead.`,
    );
  }
  return reasons;
}
