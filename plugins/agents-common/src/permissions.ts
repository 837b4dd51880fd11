import {
  createPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { agentKinds } from './kinds/registry';

/** The permission resource type of every agents resource. @public */
export const AGENTS_RESOURCE_TYPE = 'agents-resource';

/** The CRUD actions every kind has. @public */
export type AgentsResourceAction = 'read' | 'create' | 'update' | 'delete';

/** @public */
export type AgentsResourcePermission = ResourcePermission<
  typeof AGENTS_RESOURCE_TYPE
>;

const SHORT_NAMES: Record<string, string> = {
  AgentDispatchRun: 'run',
  AgentDispatchAttempt: 'attempt',
  AgentTriggerRule: 'rule',
};

/**
 * The name a kind has in permission names: `AgentStack` → `stack`, `AgentToolProfile` →
 * `tool-profile`, `AgentDispatchRun` → `run`, `WorkItem` → `work-item`.
 * @public
 */
export function permissionResourceName(kind: string): string {
  return (
    SHORT_NAMES[kind] ??
    kind
      .replace(/^Agent(?=[A-Z])/, '')
      .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
      .toLowerCase()
  );
}

const ACTIONS: AgentsResourceAction[] = ['read', 'create', 'update', 'delete'];

function resourcePermission(
  name: string,
  action: AgentsResourceAction,
): AgentsResourcePermission {
  return createPermission({
    name,
    attributes: { action },
    resourceType: AGENTS_RESOURCE_TYPE,
  });
}

const kindPermissions = new Map(
  agentKinds.flatMap(({ kind }) =>
    ACTIONS.map(action => [
      `${kind}:${action}`,
      resourcePermission(
        `agents.${permissionResourceName(kind)}.${action}`,
        action,
      ),
    ]),
  ),
);

/**
 * The permission for an action on a kind, e.g. `agents.stack.create`.
 * @public
 */
export function agentsResourcePermission(
  kind: string,
  action: AgentsResourceAction,
): AgentsResourcePermission {
  const permission = kindPermissions.get(`${kind}:${action}`);
  if (!permission) {
    throw new Error(`No permission for ${action} on unknown kind ${kind}`);
  }
  return permission;
}

/** Cancel a dispatch run. @public */
export const runCancelPermission = resourcePermission(
  'agents.run.cancel',
  'update',
);
/** Retry, resume or fork a dispatch run. @public */
export const runRetryPermission = resourcePermission(
  'agents.run.retry',
  'update',
);
/** Continue a dispatch run with a new prompt. @public */
export const runContinuePermission = resourcePermission(
  'agents.run.continue',
  'update',
);
/** Approve or reject an approval gate. @public */
export const approvalDecidePermission = resourcePermission(
  'agents.approval.decide',
  'update',
);
/** Run a lifecycle action on a workspace. @public */
export const workspaceActionPermission = resourcePermission(
  'agents.workspace.action',
  'update',
);

/** Request the write-back of a review artifact, or take a run's artifacts again. @public */
export const artifactWriteBackPermission = resourcePermission(
  'agents.artifact.write-back',
  'update',
);

/** Read an org's company-brain memory: its status, search, graph and records. @public */
export const memoryReadPermission = resourcePermission(
  'agents.memory.read',
  'read',
);

/** Propose an update to an org's memory (a patch that waits for review). @public */
export const memoryProposePermission = resourcePermission(
  'agents.memory.propose',
  'update',
);

/** Approve, reject or merge a proposed memory update. @public */
export const memoryReviewPermission = resourcePermission(
  'agents.memory.review',
  'update',
);

/**
 * See an org's agents resources among Backstage search results: the agents collator's
 * `visibilityPermission`, decided per document on the object it stands for. @public
 */
export const searchReadPermission = resourcePermission(
  'agents.search.read',
  'read',
);

/** Every permission of the agents plugin. @public */
export const agentsPermissions = [
  ...kindPermissions.values(),
  runCancelPermission,
  runRetryPermission,
  runContinuePermission,
  approvalDecidePermission,
  workspaceActionPermission,
  artifactWriteBackPermission,
  memoryReadPermission,
  memoryProposePermission,
  memoryReviewPermission,
  searchReadPermission,
];
