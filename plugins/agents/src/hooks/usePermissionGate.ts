import { usePermission } from '@backstage/plugin-permission-react';
import { AgentsResourcePermission } from '@krate/plugin-agents-common';

/**
 * Why the caller may not use `permission` on the resource, as the permission framework answers;
 * undefined when allowed. No `resourceRef` means there is nothing to ask about yet.
 */
export function usePermissionGate(
  permission: AgentsResourcePermission,
  resourceRef: string | undefined,
  what: string,
): string | undefined {
  const decision = usePermission({ permission, resourceRef });
  if (!resourceRef) return undefined;
  if (decision.loading) return `Checking permission ${permission.name}…`;
  if (decision.error) {
    return `Could not check permission ${permission.name}: ${decision.error.message}`;
  }
  return decision.allowed
    ? undefined
    : `You may not ${what} (${permission.name})`;
}
