import { TRUST_TIERS, WorkspaceRetention } from './AgentWorkspacePolicy';
import { defineKind, ResourceOf } from './defineKind';
import {
  BaseStatusFields,
  LocalName,
  Obj,
  StringEnum,
  Timestamp,
  Type,
} from './schema';

/** Lifecycle states of a workspace. @public */
export const WORKSPACE_STATES = [
  'active',
  'idle',
  'archived',
  'missing',
] as const;

/** What a workspace was created for. @public */
export const WORKSPACE_OWNER_KINDS = [
  'host',
  'project',
  'issue',
  'pull-request',
  'pipeline',
  'dispatch-run',
  'manual',
] as const;

/** Lifecycle actions on a workspace; each is policy-checked and audited. @public */
export const WORKSPACE_ACTIONS = [
  'provision',
  'link-existing',
  'pin',
  'unpin',
  'archive',
  'cleanup',
  'recover',
  'notes-save',
  'rebase-start',
  'rebase-auto-resolve',
  'rebase-open-in-editor',
  'rebase-mark-resolved',
  'rebase-abort',
  'surface-register',
  'surface-remove',
] as const;

/** What a runtime surface of a workspace is. @public */
export const RUNTIME_SURFACE_KINDS = [
  'preview',
  'dev-server',
  'terminal',
  'logs',
  'port-forward',
  'mcp',
] as const;

/** How a runtime surface answered its last health check. @public */
export const RUNTIME_SURFACE_HEALTH = [
  'ready',
  'degraded',
  'unavailable',
  'unknown',
] as const;

const Count = Type.Integer({ minimum: 0 });

/**
 * A git worktree or workspace projection agents work in: where it is, who owns it, how far it is
 * trusted, its git and runtime state and its lifecycle.
 * @public
 */
export const AgentWorkspaceKind = defineKind({
  kind: 'AgentWorkspace',
  plural: 'agentworkspaces',
  shortNames: ['aworkspace'],
  category: 'execution',
  description:
    'A git worktree or workspace projection: repository, ownership, trust tier, git state, runtime surfaces and lifecycle.',
  spec: Obj({
    repository: Type.String({ description: '<org>/<repository>' }),
    path: Type.Optional(
      Type.String({
        description: 'Absolute path of the worktree on the runner',
      }),
    ),
    externalId: Type.Optional(
      Type.String({
        description: 'Workspace id in an external system, instead of a path',
      }),
    ),
    branch: Type.Optional(Type.String({ description: 'Working branch' })),
    ref: Type.Optional(
      Type.String({ description: 'Ref the workspace was provisioned from' }),
    ),
    sha: Type.Optional(
      Type.String({ description: 'Commit of ref at provisioning' }),
    ),
    ownership: Obj({
      kind: StringEnum([...WORKSPACE_OWNER_KINDS]),
      ref: Type.Optional(
        Type.String({
          description:
            'The owner: issue or PR number, project, pipeline run or dispatch run name',
        }),
      ),
    }),
    trustTier: StringEnum([...TRUST_TIERS]),
    policy: Type.Optional(LocalName('AgentWorkspacePolicy name')),
    serviceAccountName: Type.Optional(
      LocalName('AgentServiceAccount the runtime acts as'),
    ),
    runnerPool: Type.Optional(Type.String({ description: 'Runner pool name' })),
    notes: Type.Optional(Type.String({ maxLength: 65536 })),
    pinned: Type.Optional(
      Type.Boolean({
        description: 'Pinned workspaces are exempt from retention',
      }),
    ),
    retention: Type.Optional(WorkspaceRetention),
  }),
  status: Obj({
    ...BaseStatusFields,
    state: Type.Optional(StringEnum([...WORKSPACE_STATES])),
    pathMissing: Type.Optional(
      Type.Boolean({
        description:
          'The path is gone; the record stays until recovered or cleaned up',
      }),
    ),
    lastActivityTime: Type.Optional(Timestamp()),
    git: Type.Optional(
      Obj({
        branch: Type.Optional(Type.String()),
        headSha: Type.Optional(Type.String()),
        trackingBranch: Type.Optional(Type.String()),
        ahead: Type.Optional(Count),
        behind: Type.Optional(Count),
        dirty: Type.Optional(Type.Boolean()),
        uncommittedCount: Type.Optional(Count),
        conflictingFiles: Type.Optional(Type.Array(Type.String())),
        rebaseInProgress: Type.Optional(Type.Boolean()),
      }),
    ),
    editorUrl: Type.Optional(
      Type.String({
        description: 'Set only when opening an editor on the workspace is safe',
      }),
    ),
    activeSessions: Type.Optional(Type.Array(LocalName('AgentSession name'))),
    activeRuns: Type.Optional(Type.Array(LocalName('AgentDispatchRun name'))),
    runs: Type.Optional(
      Type.Array(LocalName('AgentDispatchRun name'), {
        description:
          'Runs dispatched into the workspace, oldest first (the last 50)',
      }),
    ),
    workItems: Type.Optional(
      Type.Array(LocalName('WorkItem name'), {
        description:
          'Work items linked to the workspace (WorkItemWorkspaceLink), oldest first (the last 50)',
      }),
    ),
    runtimeSurfaces: Type.Optional(
      Type.Array(
        Obj({
          kind: StringEnum([...RUNTIME_SURFACE_KINDS]),
          name: Type.Optional(Type.String()),
          url: Type.Optional(Type.String()),
          port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
          health: Type.Optional(StringEnum([...RUNTIME_SURFACE_HEALTH])),
          message: Type.Optional(Type.String()),
        }),
        { description: 'Links and health only; never tokens or credentials' },
      ),
    ),
    lastAction: Type.Optional(
      Obj({
        action: StringEnum([...WORKSPACE_ACTIONS]),
        actor: Type.String({ description: 'Entity ref of who asked for it' }),
        time: Timestamp(),
        result: StringEnum(['in-progress', 'succeeded', 'failed', 'denied'], {
          description:
            'in-progress: the git work has started; a restart completes it or reports it failed',
        }),
        message: Type.Optional(Type.String()),
        instance: Type.Optional(
          Type.String({
            description:
              'host:pid of the backend process running an in-progress action',
          }),
        ),
      }),
    ),
  }),
  printerColumns: [
    { name: 'Repository', type: 'string', jsonPath: '.spec.repository' },
    { name: 'Branch', type: 'string', jsonPath: '.spec.branch' },
    { name: 'State', type: 'string', jsonPath: '.status.state' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
  indexes: {
    repository: 'spec.repository',
    phase: 'status.state',
  },
});

/** @public */
export type AgentWorkspace = ResourceOf<typeof AgentWorkspaceKind>;
