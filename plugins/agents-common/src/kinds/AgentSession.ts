import { defineKind, ResourceOf } from './defineKind';
import {
  BaseStatusFields,
  LocalName,
  Obj,
  StringEnum,
  Timestamp,
  Type,
} from './schema';

/** States of an agent session. @public */
export const SESSION_STATES = [
  'binding-pending',
  'active',
  'idle',
  'ended',
] as const;

/**
 * Krate's projection of a runtime chat session: which run and attempt it serves, the workspace
 * it is attached to, and how far its transcript has been read.
 * @public
 */
export const AgentSessionKind = defineKind({
  kind: 'AgentSession',
  plural: 'agentsessions',
  shortNames: ['asession'],
  category: 'execution',
  description:
    'A projection of a runtime (Agent Mux) session and its transcript state, linked to runs and a workspace.',
  spec: Obj({
    runtime: Type.String({ minLength: 1, description: 'Runtime id' }),
    run: Type.Optional(LocalName('AgentDispatchRun name')),
    attempt: Type.Optional(
      LocalName('AgentDispatchAttempt that opened the session'),
    ),
    stack: Type.Optional(LocalName('AgentStack name')),
    repository: Type.Optional(
      Type.String({ description: '<org>/<repository>' }),
    ),
  }),
  status: Obj({
    ...BaseStatusFields,
    state: Type.Optional(
      StringEnum([...SESSION_STATES], {
        description:
          'binding-pending: the run started but the runtime has not reported a session id yet',
      }),
    ),
    sessionId: Type.Optional(
      Type.String({ description: 'Session id in the runtime' }),
    ),
    workspaceRef: Type.Optional(
      LocalName('AgentWorkspace the session is attached to'),
    ),
    transcriptCursor: Type.Optional(
      Type.Integer({
        minimum: 0,
        description: 'Seq of the last transcript event read',
      }),
    ),
    turnCount: Type.Optional(Type.Integer({ minimum: 0 })),
    lastActivityTime: Type.Optional(Timestamp()),
    endTime: Type.Optional(Timestamp()),
  }),
  printerColumns: [
    { name: 'Runtime', type: 'string', jsonPath: '.spec.runtime' },
    { name: 'Run', type: 'string', jsonPath: '.spec.run' },
    { name: 'State', type: 'string', jsonPath: '.status.state' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
  indexes: {
    repository: 'spec.repository',
    stack: 'spec.stack',
    phase: 'status.state',
  },
});

/** @public */
export type AgentSession = ResourceOf<typeof AgentSessionKind>;
