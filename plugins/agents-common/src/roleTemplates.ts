import { RoleTemplate } from './accessApi';
import { agentKinds } from './kinds/registry';
import {
  agentsPermissions,
  agentsResourcePermission,
  approvalDecidePermission,
  artifactWriteBackPermission,
  runCancelPermission,
  runContinuePermission,
  runRetryPermission,
  workspaceActionPermission,
} from './permissions';

/**
 * Kinds that give access to something, or limit what may be spent (an author must not raise the
 * budget that limits their own stacks): only the admin role writes them.
 */
const ACCESS_KINDS = [
  'AgentServiceAccount',
  'AgentRoleBinding',
  'AgentSecretGrant',
  'AgentConfigGrant',
  'AgentBudget',
];

const readPermissions = agentsPermissions
  .filter(p => p.attributes.action === 'read')
  .map(p => p.name);

const configurationWrites = agentKinds
  .filter(k => k.category === 'configuration' && !ACCESS_KINDS.includes(k.kind))
  .flatMap(({ kind }) =>
    (['create', 'update', 'delete'] as const).map(
      action => agentsResourcePermission(kind, action).name,
    ),
  );

/**
 * The ClusterRoles Krate ships, from least to most. AgentRoleBindings refer to them by name;
 * `deploy/kubernetes/agents-role-templates.yaml` holds their native counterparts.
 * @public
 */
export const agentsRoleTemplates: readonly RoleTemplate[] = [
  {
    name: 'krate-agents-viewer',
    description: 'Reads every agents resource and the memory of the org.',
    permissions: readPermissions,
  },
  {
    name: 'krate-agents-dispatcher',
    description:
      'Viewer, and dispatches runs: creates, cancels, retries and continues them, and runs workspace actions.',
    permissions: [
      ...readPermissions,
      agentsResourcePermission('AgentDispatchRun', 'create').name,
      runCancelPermission.name,
      runRetryPermission.name,
      runContinuePermission.name,
      workspaceActionPermission.name,
    ],
  },
  {
    name: 'krate-agents-approver',
    description:
      'Viewer, and decides approval gates and requests the write-back of review artifacts.',
    permissions: [
      ...readPermissions,
      approvalDecidePermission.name,
      artifactWriteBackPermission.name,
    ],
  },
  {
    name: 'krate-agents-author',
    description:
      'Viewer, and creates, updates and deletes configuration: stacks, rules, tool profiles, MCP servers, skills, subagents, context labels, workspace policies. Not identities, bindings or grants.',
    permissions: [...readPermissions, ...configurationWrites],
  },
  {
    name: 'krate-agents-admin',
    description:
      'Everything, including service accounts, role bindings and secret and config grants.',
    permissions: agentsPermissions.map(p => p.name),
  },
];

const byName = new Map(agentsRoleTemplates.map(t => [t.name, t]));

/** The role template a ClusterRole name refers to, if Krate ships it. @public */
export function findRoleTemplate(name: string): RoleTemplate | undefined {
  return byName.get(name);
}

/** Whether a permission name is one of the agents plugin's. @public */
export function isAgentsPermissionName(name: string): boolean {
  return agentsPermissions.some(p => p.name === name);
}
