import { WriteBackResultFields } from './AgentReviewArtifact';
import { MemorySelection, ResolvedMemory } from './memorySelection';
import { defineKind, ResourceOf } from './defineKind';
import {
  AnyJson,
  BaseStatusFields,
  CostSummary,
  LocalName,
  Obj,
  StringEnum,
  Timestamp,
  Type,
} from './schema';

/** Phases of a dispatch run. @public */
export const RUN_PHASES = [
  'Queued',
  'Running',
  'Waiting',
  'Succeeded',
  'Failed',
  'Cancelled',
] as const;

/** What can start a run. @public */
export const RUN_SOURCE_KINDS = [
  'manual',
  'issue',
  'pull-request',
  'check',
  'job',
  'webhook',
  'rule',
  'schedule',
] as const;

/**
 * A logical dispatch of an agent stack, shown like a pipeline run; its attempts are
 * AgentDispatchAttempts.
 * @public
 */
export const AgentDispatchRunKind = defineKind({
  kind: 'AgentDispatchRun',
  plural: 'agentdispatchruns',
  shortNames: ['arun'],
  category: 'execution',
  description:
    'A logical dispatch of an agent stack against a repository, shown like a pipeline run.',
  spec: Obj({
    stack: LocalName('AgentStack name'),
    prompt: Type.String({ maxLength: 65536 }),
    repository: Type.Optional(
      Type.String({ description: '<org>/<repository>' }),
    ),
    ref: Type.Optional(Type.String({ description: 'Branch, tag or commit' })),
    contextLabels: Type.Optional(
      Type.Array(LocalName('AgentContextLabel name')),
    ),
    workspace: Type.Optional(LocalName('AgentWorkspace name')),
    continuesSession: Type.Optional(
      LocalName(
        'AgentSession whose runtime session this run continues (its first attempt is a continue)',
      ),
    ),
    source: Type.Optional(
      Obj({
        kind: StringEnum([...RUN_SOURCE_KINDS], {
          description: 'What started the run',
        }),
        name: Type.Optional(
          Type.String({
            description: 'Issue/PR number, rule name, delivery id, …',
          }),
        ),
        url: Type.Optional(Type.String()),
      }),
    ),
    memory: Type.Optional(
      Obj(
        { ...MemorySelection.properties },
        {
          description:
            'The memory the run reads: stack, rule and dispatch queries together',
        },
      ),
    ),
    memorySnapshot: Type.Optional(ResolvedMemory),
    requestedBy: Type.Optional(
      Type.String({
        description: 'Entity ref of the user or service that dispatched',
      }),
    ),
  }),
  status: Obj({
    ...BaseStatusFields,
    phase: Type.Optional(StringEnum([...RUN_PHASES])),
    reason: Type.Optional(Type.String()),
    message: Type.Optional(Type.String()),
    startTime: Type.Optional(Type.String({ format: 'date-time' })),
    completionTime: Type.Optional(Type.String({ format: 'date-time' })),
    currentAttempt: Type.Optional(LocalName('AgentDispatchAttempt name')),
    profileDigest: Type.Optional(Type.String()),
    runtime: Type.Optional(Type.String()),
    session: Type.Optional(Type.String()),
    runtimeServiceAccount: Type.Optional(
      LocalName('AgentServiceAccount the agent acts as'),
    ),
    runnerServiceAccount: Type.Optional(
      LocalName('AgentServiceAccount the runner runs as'),
    ),
    artifacts: Type.Optional(
      Type.Array(LocalName('AgentReviewArtifact name'), {
        description: 'Artifacts the run produced, oldest first',
      }),
    ),
    cost: Type.Optional(CostSummary),
    writeBacks: Type.Optional(
      Type.Array(
        Obj({
          key: Type.String(),
          artifact: LocalName('AgentReviewArtifact name'),
          target: Type.String(),
          operation: Type.String(),
          state: Type.String(),
          results: Type.Optional(Type.Array(WriteBackResultFields)),
          provenance: Type.Optional(AnyJson()),
        }),
        { description: 'Applied write-backs of the run (the last 50)' },
      ),
    ),
    review: Type.Optional(
      Obj(
        {
          state: StringEnum(['ReviewChangesRequested']),
          artifact: LocalName('The artifact whose pull request was reviewed'),
          pullRequest: Type.Integer({ minimum: 1 }),
          message: Type.String(),
          url: Type.Optional(Type.String()),
          time: Timestamp(),
        },
        {
          description:
            'A review of the pull request the run wrote that requested changes',
        },
      ),
    ),
  }),
  printerColumns: [
    { name: 'Stack', type: 'string', jsonPath: '.spec.stack' },
    { name: 'Repository', type: 'string', jsonPath: '.spec.repository' },
    { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
  indexes: {
    repository: 'spec.repository',
    stack: 'spec.stack',
    phase: 'status.phase',
    source: 'spec.source.kind',
  },
});

/** @public */
export type AgentDispatchRun = ResourceOf<typeof AgentDispatchRunKind>;
