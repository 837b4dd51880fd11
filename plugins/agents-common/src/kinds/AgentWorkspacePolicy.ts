import { defineKind, ResourceOf } from './defineKind';
import { BaseStatusFields, LocalName, Obj, StringEnum, Type } from './schema';

/** How far the code a workspace holds is trusted. @public */
export const TRUST_TIERS = ['trusted', 'untrusted', 'forked'] as const;

/** Rebase actions on a workspace. @public */
export const REBASE_ACTIONS = [
  'start',
  'auto-resolve',
  'open-in-editor',
  'mark-resolved',
  'abort',
] as const;

/** When idle and archived workspaces go away; pinned workspaces are exempt. @public */
export const WorkspaceRetention = Obj({
  archiveIdleAfterHours: Type.Optional(Type.Integer({ minimum: 1 })),
  deleteArchivedAfterDays: Type.Optional(Type.Integer({ minimum: 1 })),
});

/**
 * How workspaces are provisioned, reused, rebased, retained and cleaned up, and how each trust
 * tier is isolated.
 * @public
 */
export const AgentWorkspacePolicyKind = defineKind({
  kind: 'AgentWorkspacePolicy',
  plural: 'agentworkspacepolicies',
  shortNames: ['awpolicy'],
  category: 'configuration',
  description:
    'Workspace provisioning, cleanup, rebase, retention and trust-tier isolation policy.',
  spec: Obj({
    description: Type.Optional(Type.String({ maxLength: 1024 })),
    provisioning: Obj({
      mode: StringEnum(['fresh', 'reuse'], {
        description:
          'reuse: take an idle workspace with the same repository, ref and trust tier when there is one',
      }),
      root: Type.String({
        minLength: 1,
        description:
          'Directory on the runner that workspaces are created under; nothing outside it is ever deleted',
      }),
      branchTemplate: Type.Optional(
        Type.String({
          description: 'Working branch name, e.g. agents/{{run}}',
        }),
      ),
    }),
    cleanup: Type.Optional(
      Obj({
        allowDirty: Type.Optional(
          Type.Boolean({
            default: false,
            description: 'Whether cleanup may discard uncommitted changes',
          }),
        ),
        afterRun: Type.Optional(
          StringEnum(['keep', 'archive', 'cleanup'], {
            description:
              'What happens to a dispatch-run workspace when its run ends',
          }),
        ),
      }),
    ),
    retention: Type.Optional(WorkspaceRetention),
    rebase: Type.Optional(
      Obj({
        allowedActions: Type.Array(StringEnum([...REBASE_ACTIONS])),
      }),
    ),
    trustTiers: Type.Optional(
      Type.Array(
        Obj({
          tier: StringEnum([...TRUST_TIERS]),
          isolation: StringEnum(['shared', 'isolated'], {
            description:
              'shared: reusable by later work of the same tier; isolated: one workspace per run, never reused',
          }),
          serviceAccountName: LocalName(
            'AgentServiceAccount the runtime acts as in this tier',
          ),
          runnerPool: Type.Optional(
            Type.String({ description: 'Runner pool name' }),
          ),
          allowCaches: Type.Optional(Type.Boolean({ default: false })),
          allowSecrets: Type.Optional(
            Type.Boolean({
              default: false,
              description:
                'Whether granted Secrets are mounted at all in this tier',
            }),
          ),
        }),
      ),
    ),
  }),
  status: Obj({
    ...BaseStatusFields,
    readiness: Type.Optional(StringEnum(['Ready', 'Warning', 'Invalid'])),
  }),
  printerColumns: [
    { name: 'Mode', type: 'string', jsonPath: '.spec.provisioning.mode' },
    { name: 'Root', type: 'string', jsonPath: '.spec.provisioning.root' },
    { name: 'Readiness', type: 'string', jsonPath: '.status.readiness' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
});

/** @public */
export type AgentWorkspacePolicy = ResourceOf<typeof AgentWorkspacePolicyKind>;
