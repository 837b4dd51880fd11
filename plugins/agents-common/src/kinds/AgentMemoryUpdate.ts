import { defineKind, ResourceOf } from './defineKind';
import { MemoryUpdatePhase } from './memorySelection';
import {
  BaseStatusFields,
  LocalName,
  Obj,
  StringEnum,
  Timestamp,
  Type,
} from './schema';

const CommitId = (description: string) =>
  Type.String({ pattern: '^[0-9a-f]{40}$', description });

/**
 * A proposed change to an org's memory repository: a patch against a base commit, where it came
 * from, its ontology validation report, its reviews, and the commit that merged it. Nothing
 * reaches the memory without one of these being approved and merged. The namespace is the org.
 * @public
 */
export const AgentMemoryUpdateKind = defineKind({
  kind: 'AgentMemoryUpdate',
  plural: 'agentmemoryupdates',
  shortNames: ['amemupdate'],
  category: 'execution',
  description:
    'A proposed, reviewed patch to the org memory repository, with its source run, validation report, reviews and merge commit.',
  spec: Obj({
    title: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 20000 })),
    baseCommit: CommitId('The memory commit the patch was made against'),
    patch: Type.String({
      maxLength: 1048576,
      description: 'Unified diff (git format) against baseCommit',
    }),
    files: Type.Array(
      Obj({
        path: Type.String({ minLength: 1 }),
        change: StringEnum(['added', 'modified', 'deleted']),
      }),
    ),
    source: Obj({
      kind: StringEnum(['user', 'run'], {
        description: 'Proposed by a person, or imported from a run',
      }),
      run: Type.Optional(LocalName('AgentDispatchRun name')),
      attempt: Type.Optional(LocalName('AgentDispatchAttempt name')),
    }),
    proposedBy: Type.String({
      description: 'Entity ref of the user, or of the run requester',
    }),
  }),
  status: Obj({
    ...BaseStatusFields,
    phase: Type.Optional(MemoryUpdatePhase),
    message: Type.Optional(Type.String()),
    validation: Type.Optional(
      Obj({
        valid: Type.Boolean(),
        commit: CommitId('The memory commit the patch was validated on'),
        issues: Type.Array(
          Obj({
            file: Type.String(),
            field: Type.String(),
            message: Type.String(),
            line: Type.Optional(Type.Integer({ minimum: 1 })),
          }),
          { description: 'Ontology issues the patch would introduce' },
        ),
      }),
    ),
    reviews: Type.Optional(
      Type.Array(
        Obj({
          reviewer: Type.String(),
          decision: StringEnum(['approved', 'rejected']),
          comment: Type.Optional(Type.String({ maxLength: 5000 })),
          time: Timestamp(),
        }),
      ),
    ),
    mergedCommit: Type.Optional(CommitId('The commit that merged the patch')),
    mergedBy: Type.Optional(Type.String()),
    mergeTime: Type.Optional(Timestamp()),
  }),
  printerColumns: [
    { name: 'Title', type: 'string', jsonPath: '.spec.title' },
    { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
    { name: 'Run', type: 'string', jsonPath: '.spec.source.run' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
  indexes: { phase: 'status.phase', source: 'spec.source.run' },
});

/** @public */
export type AgentMemoryUpdate = ResourceOf<typeof AgentMemoryUpdateKind>;
