import {
  agentsRoleTemplates,
  findRoleTemplate,
  RoleTemplate,
} from '@krate/plugin-agents-common';
import { StoredResource } from '../../resources/ResourceStore';
import { subjectKey } from './subjectRefs';

export interface BindingSpec {
  subjects: { kind: string; name: string }[];
  roleRef: { kind: 'Role' | 'ClusterRole'; name: string };
  repository?: string;
}

export const specOf = (binding: StoredResource) =>
  binding.spec as unknown as BindingSpec;

export const bindingRef = (binding: StoredResource) =>
  `AgentRoleBinding/${binding.metadata.name}`;

export const roleRefOf = (binding: StoredResource) => {
  const { kind, name } = specOf(binding).roleRef;
  return `${kind}/${name}`;
};

/** The template a binding's role is; Krate ships ClusterRoles only, so a Role is never one. */
export function roleOf(binding: StoredResource): RoleTemplate | undefined {
  const { kind, name } = specOf(binding).roleRef;
  return kind === 'ClusterRole' ? findRoleTemplate(name) : undefined;
}

/** A binding limited to a repository applies only to that repository. */
export function scopeApplies(
  binding: StoredResource,
  repository: string | undefined,
): boolean {
  const scope = specOf(binding).repository;
  return !scope || scope.toLowerCase() === (repository ?? '').toLowerCase();
}

/** The subject of the binding that is one of `keys` (see subjectKey), if any. */
export function matchedSubject(
  binding: StoredResource,
  keys: ReadonlySet<string>,
): string | undefined {
  const subject = specOf(binding).subjects.find(s =>
    keys.has(subjectKey(s.kind, s.name)),
  );
  return subject && `${subject.kind} ${subject.name}`;
}

/** The bindings that name one of `keys` and apply to `repository`. */
export function applyingBindings(
  bindings: StoredResource[],
  keys: ReadonlySet<string>,
  repository: string | undefined,
): StoredResource[] {
  return bindings.filter(
    b => matchedSubject(b, keys) && scopeApplies(b, repository),
  );
}

/** Every permission the bindings' roles grant. */
export function permissionsOf(bindings: StoredResource[]): Set<string> {
  return new Set(bindings.flatMap(b => roleOf(b)?.permissions ?? []));
}

/** The roles Krate ships that grant a permission, least first. */
export function rolesGranting(permission: string): string[] {
  return agentsRoleTemplates
    .filter(t => t.permissions.includes(permission))
    .map(t => t.name);
}
