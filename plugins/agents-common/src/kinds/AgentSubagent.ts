import { AgentScript } from './AgentScript';
import { defineKind, ResourceOf } from './defineKind';
import { BaseStatusFields, LocalName, Obj, StringEnum, Type } from './schema';

/**
 * A reusable subagent a stack's agent may delegate to, with its own runtime, model, prompt,
 * tools and skills.
 * @public
 */
export const AgentSubagentKind = defineKind({
  kind: 'AgentSubagent',
  plural: 'agentsubagents',
  shortNames: ['asub'],
  category: 'configuration',
  description:
    'A reusable subagent definition: runtime, model, prompt, tools and skills, and when the parent agent should use it.',
  spec: Obj({
    description: Type.Optional(Type.String({ maxLength: 1024 })),
    whenToUse: Type.String({
      minLength: 1,
      maxLength: 4096,
      description:
        'When the parent agent should delegate to this subagent; passed to the parent runtime',
    }),
    runtime: Type.Optional(
      Type.String({
        description:
          "Base agent runtime id; unset uses the parent stack's runtime",
      }),
    ),
    model: Type.Optional(
      Type.String({
        description: "Model name; unset uses the parent stack's model",
      }),
    ),
    systemPrompt: Type.Optional(Type.String({ maxLength: 65536 })),
    toolProfile: Type.Optional(LocalName('AgentToolProfile name')),
    tools: Type.Optional(
      Type.Array(Type.String(), {
        description:
          'Native tool names the subagent may use; narrows the tool profile, never widens it',
      }),
    ),
    skills: Type.Optional(Type.Array(LocalName('AgentSkill name'))),
    maxTurns: Type.Optional(Type.Integer({ minimum: 1 })),
    script: Type.Optional(AgentScript),
  }),
  status: Obj({
    ...BaseStatusFields,
    readiness: Type.Optional(StringEnum(['Ready', 'Warning', 'Invalid'])),
  }),
  printerColumns: [
    { name: 'Runtime', type: 'string', jsonPath: '.spec.runtime' },
    { name: 'Model', type: 'string', jsonPath: '.spec.model' },
    { name: 'Readiness', type: 'string', jsonPath: '.status.readiness' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
});

/** @public */
export type AgentSubagent = ResourceOf<typeof AgentSubagentKind>;
