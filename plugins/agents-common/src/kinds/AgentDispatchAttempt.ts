import { RUN_PHASES } from './AgentDispatchRun';
import { defineKind, ResourceOf } from './defineKind';
import {
  AnyJson,
  BaseStatusFields,
  CostSummary,
  LocalName,
  Obj,
  Sha256Digest,
  StringEnum,
  Timestamp,
  Type,
} from './schema';

/** Why an attempt of a run exists. @public */
export const ATTEMPT_KINDS = [
  'initial',
  'retry',
  'resume',
  'fork',
  'continue',
] as const;

/**
 * One concrete execution of a dispatch run on a runtime: the first try, a retry, or a resume,
 * fork or continuation of an earlier attempt's session.
 * @public
 */
export const AgentDispatchAttemptKind = defineKind({
  kind: 'AgentDispatchAttempt',
  plural: 'agentdispatchattempts',
  shortNames: ['aattempt'],
  category: 'execution',
  description:
    'A concrete attempt of a dispatch run: initial, retry, resume, fork or continuation on a runtime.',
  spec: Obj({
    run: LocalName('AgentDispatchRun name'),
    kind: StringEnum([...ATTEMPT_KINDS]),
    previousAttempt: Type.Optional(
      LocalName(
        'AgentDispatchAttempt this one retries, resumes, forks or continues',
      ),
    ),
    stack: LocalName('AgentStack name, copied from the run'),
    repository: Type.Optional(
      Type.String({ description: '<org>/<repository>, copied from the run' }),
    ),
    runtime: Type.String({
      minLength: 1,
      description: 'Runtime id the attempt runs on',
    }),
    prompt: Type.Optional(
      Type.String({
        maxLength: 65536,
        description: 'Follow-up prompt, for continue attempts',
      }),
    ),
    workspace: Type.Optional(LocalName('AgentWorkspace name')),
    contextBundle: Type.Optional(LocalName('AgentContextBundle name')),
    profileDigest: Type.Optional(
      Sha256Digest(
        'Digest of the launch profile snapshot the attempt runs with',
      ),
    ),
    launchProfile: Type.Optional(
      AnyJson({
        description:
          "Snapshot of the stack's effective launch profile the attempt launched with",
      }),
    ),
    sessionId: Type.Optional(
      Type.String({
        description:
          'Runtime session a resume, fork or continue attempt starts from',
      }),
    ),
  }),
  status: Obj({
    ...BaseStatusFields,
    phase: Type.Optional(StringEnum([...RUN_PHASES])),
    reason: Type.Optional(
      Type.String({
        description: 'CamelCase, e.g. SessionBindingPending, ApprovalBlocked',
      }),
    ),
    message: Type.Optional(Type.String()),
    runtimeRunId: Type.Optional(
      Type.String({
        description: 'Run id the runtime assigned (the Agent Mux run id)',
      }),
    ),
    sessionId: Type.Optional(
      Type.String({
        description: 'Runtime session id, once the session is bound',
      }),
    ),
    pod: Type.Optional(
      Obj(
        {
          namespace: Type.String(),
          name: Type.String(),
          pool: Type.String({ description: 'Runner pool name' }),
          component: Type.Optional(
            Type.String({
              description:
                "Catalog entity ref of the run's repository component, whose Kubernetes tab shows the pod",
            }),
          ),
        },
        {
          description:
            'The runner pod the attempt runs in (stacks with runnerPolicy.pool in Kubernetes mode)',
        },
      ),
    ),
    lease: Type.Optional(
      Obj(
        {
          owner: Type.String({
            description: 'Backend instance that drives the attempt',
          }),
          acquireTime: Timestamp(),
          renewTime: Timestamp(),
          durationSeconds: Type.Integer({ minimum: 1 }),
        },
        {
          description:
            'Another instance takes the attempt over once the lease lapses',
        },
      ),
    ),
    lastSeq: Type.Optional(
      Type.Integer({
        minimum: 0,
        description:
          'Last runtime event seq persisted; the event stream resumes after it',
      }),
    ),
    startTime: Type.Optional(Timestamp()),
    completionTime: Type.Optional(Timestamp()),
    cost: Type.Optional(CostSummary),
  }),
  printerColumns: [
    { name: 'Run', type: 'string', jsonPath: '.spec.run' },
    { name: 'Kind', type: 'string', jsonPath: '.spec.kind' },
    { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
  indexes: {
    repository: 'spec.repository',
    stack: 'spec.stack',
    phase: 'status.phase',
  },
});

/** @public */
export type AgentDispatchAttempt = ResourceOf<typeof AgentDispatchAttemptKind>;
