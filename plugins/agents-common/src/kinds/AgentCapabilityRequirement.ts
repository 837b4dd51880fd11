import { defineKind, ResourceOf } from './defineKind';
import {
  BaseStatusFields,
  DataKey,
  LocalName,
  Obj,
  StringEnum,
  Type,
} from './schema';

/** Runtime capabilities a requirement can ask for. @public */
export const RUNTIME_CAPABILITIES = [
  'subagents',
  'mcp',
  'skills',
  'resume',
  'fork',
  'multi-turn',
  'approval-hooks',
] as const;

const KeysOf = (what: 'Secret' | 'ConfigMap') =>
  Type.Optional(
    Type.Array(
      Obj({
        name: LocalName(`${what} name`),
        keys: Type.Array(DataKey(`Key in the ${what}`), { minItems: 1 }),
      }),
    ),
  );

/**
 * What a stack, tool profile, skill, MCP server or model needs before it can run: runtime
 * capabilities, Secret and ConfigMap keys, and roles of the acting identity.
 * @public
 */
export const AgentCapabilityRequirementKind = defineKind({
  kind: 'AgentCapabilityRequirement',
  plural: 'agentcapabilityrequirements',
  shortNames: ['acapreq'],
  category: 'configuration',
  description:
    'What a stack, tool, skill, MCP server or model requires: runtime capabilities, Secrets, config and roles.',
  spec: Obj({
    description: Type.Optional(Type.String({ maxLength: 1024 })),
    subject: Obj({
      kind: StringEnum(['stack', 'tool', 'skill', 'mcp-server', 'model']),
      name: Type.String({
        minLength: 1,
        description:
          'Name of the AgentStack, AgentToolProfile, AgentSkill or AgentMcpServer; the model name for model',
      }),
    }),
    runtimeCapabilities: Type.Optional(
      Type.Array(StringEnum([...RUNTIME_CAPABILITIES])),
    ),
    secrets: KeysOf('Secret'),
    config: KeysOf('ConfigMap'),
    roles: Type.Optional(
      Type.Array(
        Obj({
          kind: StringEnum(['Role', 'ClusterRole']),
          name: Type.String({ minLength: 1 }),
        }),
        {
          description: 'Roles the acting AgentServiceAccount must be bound to',
        },
      ),
    ),
  }),
  status: Obj({
    ...BaseStatusFields,
    stacks: Type.Optional(
      Type.Array(
        Obj({
          stack: LocalName('AgentStack name'),
          serviceAccountName: Type.Optional(
            LocalName('AgentServiceAccount the stack acts as'),
          ),
          satisfied: Type.Boolean(),
          missing: Type.Optional(
            Type.Array(Type.String(), {
              description:
                'Unmet requirements, e.g. "secret payments-github/token"',
            }),
          ),
        }),
        {
          description:
            "Each stack that uses the subject, checked against its identity's grants and bindings",
        },
      ),
    ),
  }),
  printerColumns: [
    { name: 'Subject', type: 'string', jsonPath: '.spec.subject.kind' },
    { name: 'Name', type: 'string', jsonPath: '.spec.subject.name' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
});

/** @public */
export type AgentCapabilityRequirement = ResourceOf<
  typeof AgentCapabilityRequirementKind
>;
