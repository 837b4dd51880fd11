import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { PermissionSubject } from '@krate/plugin-agents-common';

const DEFAULT_KIND: Record<string, string> = { user: 'user', team: 'group' };

/**
 * The full, lower-case entity ref of a user or team (`alice` → `user:default/alice`), or the
 * name of a service account as it is; undefined when it is not an entity ref at all.
 */
export function normalSubjectName(
  kind: PermissionSubject['kind'] | string,
  name: string,
): string | undefined {
  const defaultKind = DEFAULT_KIND[kind];
  if (!defaultKind) return name;
  try {
    return stringifyEntityRef(
      parseEntityRef(name, { defaultKind, defaultNamespace: 'default' }),
    ).toLowerCase();
  } catch {
    return undefined;
  }
}

/** The key a binding subject and a reviewed identity meet on, e.g. `team:group:default/payments`. */
export function subjectKey(kind: string, name: string): string {
  return `${kind}:${normalSubjectName(kind, name) ?? name}`;
}
