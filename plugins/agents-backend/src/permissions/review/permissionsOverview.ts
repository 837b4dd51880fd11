import {
  agentsRoleTemplates,
  PermissionsOverview,
  PermissionSubject,
} from '@krate/plugin-agents-common';
import { accessGraph } from './accessGraph';
import { accessWarnings } from './accessWarnings';
import { specOf } from './bindingRoles';
import { CatalogDirectory } from './CatalogDirectory';
import { OrgAccess } from './OrgAccess';

/** Body of `GET /permissions/overview`: roles, bindings with their owners, graph, warnings. */
export async function permissionsOverview(
  org: OrgAccess,
  directory: CatalogDirectory,
): Promise<PermissionsOverview> {
  const bindings = await org.bindings();
  const [secretGrants, configGrants, stacks] = await Promise.all([
    org.list('AgentSecretGrant'),
    org.list('AgentConfigGrant'),
    org.list('AgentStack'),
  ]);
  return {
    roleTemplates: agentsRoleTemplates.map(t => ({
      ...t,
      permissions: [...t.permissions],
    })),
    bindings: await Promise.all(
      bindings.map(async binding => {
        const { subjects, roleRef, repository } = specOf(binding);
        const drift = binding.status?.drift as string | undefined;
        const owner = await org.ownerOf(binding);
        return {
          name: binding.metadata.name,
          subjects: subjects.map(s => ({
            kind: s.kind as PermissionSubject['kind'],
            name: s.name,
          })),
          roleRef: { kind: roleRef.kind, name: roleRef.name },
          ...(repository ? { repository } : {}),
          ...(drift ? { drift } : {}),
          ...(owner ? { owner } : {}),
        };
      }),
    ),
    graph: accessGraph({
      bindings,
      grants: [...secretGrants, ...configGrants],
      stacks,
    }),
    warnings: await accessWarnings(org, directory),
  };
}
