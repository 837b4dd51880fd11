import { defineKind, ResourceOf } from './defineKind';
import {
  BaseStatusFields,
  DataKey,
  LocalName,
  Obj,
  StringEnum,
  Timestamp,
  Type,
} from './schema';

/**
 * An MCP server agents may use: how to reach it, what it may be asked for, which Secret keys it
 * needs, and which stacks may mount it.
 * @public
 */
export const AgentMcpServerKind = defineKind({
  kind: 'AgentMcpServer',
  plural: 'agentmcpservers',
  shortNames: ['amcp'],
  category: 'configuration',
  description:
    'An MCP server endpoint: transport, allowed scopes and tools, Secret references and allowed stacks.',
  spec: Obj({
    description: Type.Optional(Type.String({ maxLength: 1024 })),
    transport: StringEnum(['stdio', 'http', 'sse']),
    command: Type.Optional(
      Type.String({ description: 'Executable the runner starts, for stdio' }),
    ),
    args: Type.Optional(Type.Array(Type.String())),
    url: Type.Optional(
      Type.String({ format: 'uri', description: 'Endpoint, for http and sse' }),
    ),
    allowedScopes: Type.Optional(
      Type.Array(Type.String(), {
        description: 'Server-defined scopes agents may use',
      }),
    ),
    allowedTools: Type.Optional(
      Type.Array(Type.String(), {
        description:
          'Tools of this server exposed to agents; unset exposes every discovered tool',
      }),
    ),
    secretRefs: Type.Optional(
      Type.Array(
        Obj({
          name: LocalName('Secret name'),
          key: DataKey('Key in the Secret'),
          env: Type.Optional(
            Type.String({
              description:
                'Environment variable (stdio) or HTTP header (http, sse) that receives the value',
            }),
          ),
        }),
        {
          description:
            'Secret keys the runner injects; the values never leave the runner',
        },
      ),
    ),
    allowedStacks: Type.Optional(
      Type.Array(LocalName('AgentStack name'), {
        description:
          'Stacks that may mount this server; unset allows every stack',
      }),
    ),
  }),
  status: Obj({
    ...BaseStatusFields,
    health: Type.Optional(
      StringEnum(['Healthy', 'Degraded', 'Unreachable', 'Unknown']),
    ),
    lastProbeTime: Type.Optional(Timestamp()),
    discoveredTools: Type.Optional(
      Type.Array(
        Obj({
          name: Type.String(),
          description: Type.Optional(Type.String()),
        }),
      ),
    ),
  }),
  printerColumns: [
    { name: 'Transport', type: 'string', jsonPath: '.spec.transport' },
    { name: 'Health', type: 'string', jsonPath: '.status.health' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
});

/** @public */
export type AgentMcpServer = ResourceOf<typeof AgentMcpServerKind>;
