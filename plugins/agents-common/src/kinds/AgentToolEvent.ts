import { defineKind, ResourceOf } from './defineKind';
import {
  AnyJson,
  BaseStatusFields,
  LocalName,
  Obj,
  Timestamp,
  Type,
} from './schema';

/**
 * A normalized tool, MCP, shell or subagent event of an attempt, kept as a queryable record when
 * retention policy asks for it.
 * @public
 */
export const AgentToolEventKind = defineKind({
  kind: 'AgentToolEvent',
  plural: 'agenttoolevents',
  shortNames: ['atoolevent'],
  category: 'execution',
  description:
    'A normalized tool, MCP, shell or subagent event of a dispatch attempt, with redacted input and output summaries.',
  spec: Obj({
    run: LocalName('AgentDispatchRun name'),
    attempt: LocalName('AgentDispatchAttempt name'),
    repository: Type.Optional(
      Type.String({ description: '<org>/<repository>' }),
    ),
    seq: Type.Integer({
      minimum: 1,
      description: 'Seq of the event in the attempt stream',
    }),
    type: Type.String({
      minLength: 1,
      description:
        'Normalized event type, e.g. tool_result, mcp_tool_call_start, subagent_spawn',
    }),
    time: Timestamp(),
    toolName: Type.Optional(Type.String()),
    toolCallId: Type.Optional(Type.String()),
    server: Type.Optional(
      Type.String({ description: 'MCP server, for MCP events' }),
    ),
    durationMs: Type.Optional(Type.Integer({ minimum: 0 })),
    input: Type.Optional(
      AnyJson({ description: 'Input summary, secrets redacted' }),
    ),
    output: Type.Optional(
      AnyJson({ description: 'Output summary, secrets redacted' }),
    ),
    error: Type.Optional(Type.String()),
  }),
  status: Obj({ ...BaseStatusFields }),
  printerColumns: [
    { name: 'Attempt', type: 'string', jsonPath: '.spec.attempt' },
    { name: 'Seq', type: 'integer', jsonPath: '.spec.seq' },
    { name: 'Type', type: 'string', jsonPath: '.spec.type' },
    { name: 'Tool', type: 'string', jsonPath: '.spec.toolName' },
  ],
  indexes: { repository: 'spec.repository' },
});

/** @public */
export type AgentToolEvent = ResourceOf<typeof AgentToolEventKind>;
