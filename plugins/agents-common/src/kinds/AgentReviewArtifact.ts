import { defineKind, ResourceOf } from './defineKind';
import {
  BaseStatusFields,
  LocalName,
  Obj,
  Sha256Digest,
  StringEnum,
  Timestamp,
  Type,
} from './schema';

/** States of a review artifact on its way to write-back. @public */
export const ARTIFACT_STATES = [
  'pending',
  'ready',
  'changes-requested',
  'approved',
  'applied',
  'rejected',
] as const;

/**
 * Something an agent produced for humans to review and write back: a patch, comments, a review or
 * a decision.
 * @public
 */
export const AgentReviewArtifactKind = defineKind({
  kind: 'AgentReviewArtifact',
  plural: 'agentreviewartifacts',
  shortNames: ['aartifact'],
  category: 'execution',
  description:
    'An agent-produced patch, comment, review or decision, gated before write-back.',
  spec: Obj({
    kind: StringEnum(['patch', 'comment', 'review', 'decision']),
    run: LocalName('AgentDispatchRun name'),
    attempt: Type.Optional(LocalName('AgentDispatchAttempt name')),
    workspaceRef: Type.Optional(
      LocalName('AgentWorkspace the artifact was produced from'),
    ),
    repository: Type.Optional(
      Type.String({ description: '<org>/<repository>' }),
    ),
    target: Type.Optional(
      Obj({
        kind: StringEnum(['issue', 'pull-request', 'branch']),
        ref: Type.String({ description: 'Issue or PR number, or branch name' }),
      }),
    ),
    title: Type.Optional(Type.String({ maxLength: 256 })),
    digest: Sha256Digest('Digest of the content'),
    sizeBytes: Type.Integer({ minimum: 0 }),
    contentRef: Type.String({
      minLength: 1,
      description:
        'Where the content is stored, e.g. artifacts/<run>/<name>.patch',
    }),
  }),
  status: Obj({
    ...BaseStatusFields,
    state: Type.Optional(
      StringEnum([...ARTIFACT_STATES], {
        description:
          'changes-requested artifacts are not written back until follow-up resolves them',
      }),
    ),
    approval: Type.Optional(LocalName('AgentApproval gating the write-back')),
    appliedTime: Type.Optional(Timestamp()),
    appliedRef: Type.Optional(
      Type.String({
        description:
          'What write-back produced: commit SHA, comment or review URL',
      }),
    ),
  }),
  printerColumns: [
    { name: 'Kind', type: 'string', jsonPath: '.spec.kind' },
    { name: 'Run', type: 'string', jsonPath: '.spec.run' },
    { name: 'State', type: 'string', jsonPath: '.status.state' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
  indexes: {
    repository: 'spec.repository',
    phase: 'status.state',
  },
});

/** @public */
export type AgentReviewArtifact = ResourceOf<typeof AgentReviewArtifactKind>;
