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
  'approved',
  'applying',
  'applied',
  'failed',
  'superseded',
  'rejected',
  'changes-requested',
] as const;

/** @public */
export type ArtifactState = (typeof ARTIFACT_STATES)[number];

/** What a write-back wrote, as an artifact records it. @public */
export const WriteBackResultFields = Obj({
  target: Type.String(),
  operation: Type.String(),
  ref: Type.Optional(Type.String()),
  url: Type.Optional(Type.String()),
  remote: Type.Optional(Type.String()),
});

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
        'Where the content is stored, e.g. artifacts/<namespace>/<name> (the backend keeps it)',
    }),
    base: Type.Optional(
      Type.String({ description: 'Commit the patch is a diff against' }),
    ),
    head: Type.Optional(
      Type.String({
        description:
          'The workspace HEAD commit when the patch was taken (uncommitted changes on top)',
      }),
    ),
    stat: Type.Optional(
      Obj({
        files: Type.Integer({ minimum: 0 }),
        insertions: Type.Integer({ minimum: 0 }),
        deletions: Type.Integer({ minimum: 0 }),
      }),
    ),
    commits: Type.Optional(
      Type.Array(
        Obj({
          sha: Type.String(),
          subject: Type.String(),
        }),
        { description: 'Commits between base and head, oldest first' },
      ),
    ),
    uncommitted: Type.Optional(
      Type.Boolean({
        description:
          'The patch includes changes not committed in the workspace',
      }),
    ),
    supersedes: Type.Optional(
      LocalName('The artifact this one replaced when the workspace moved on'),
    ),
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
    message: Type.Optional(
      Type.String({ description: 'Why it is in its state, for people' }),
    ),
    supersededBy: Type.Optional(LocalName('The artifact that replaced it')),
    appliedTime: Type.Optional(Timestamp()),
    results: Type.Optional(
      Type.Array(WriteBackResultFields, {
        description: 'What each applied write-back wrote',
      }),
    ),
    writeBacks: Type.Optional(
      Type.Array(
        Obj({
          key: Type.String(),
          target: Type.String(),
          operation: Type.String(),
          state: Type.String(),
          approval: Type.Optional(LocalName('AgentApproval')),
        }),
        { description: 'The write-back operations requested for it' },
      ),
    ),
    provenance: Type.Optional(
      Obj(
        {
          actor: Type.Optional(Type.String()),
          approvers: Type.Optional(Type.Array(Type.String())),
          sourceEvent: Type.Optional(Type.String()),
          stackDigest: Type.Optional(Type.String()),
          contextDigest: Type.Optional(Type.String()),
          artifactDigest: Type.Optional(Type.String()),
        },
        {
          description:
            'Who asked, who approved and what exactly was written, for the last applied write-back',
        },
      ),
    ),
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
