import { MemorySelection } from './memorySelection';
import { defineKind, ResourceOf } from './defineKind';
import { AgentScript } from './AgentScript';
import { GROUP_REF_PATTERN } from './AgentBudget';
import {
  AnyJson,
  BaseStatusFields,
  EntityRefs,
  LocalName,
  Obj,
  StringEnum,
  Type,
} from './schema';

/**
 * A reusable agent definition: which runtime and model, with which prompt, tools, MCP servers,
 * skills and subagents, under which runner, write-back and approval policy.
 * @public
 */
export const AgentStackKind = defineKind({
  kind: 'AgentStack',
  plural: 'agentstacks',
  shortNames: ['astack'],
  category: 'configuration',
  description:
    'A reusable agent definition: base agent runtime, model, prompt, tools, MCP servers, skills, subagents and policies.',
  spec: Obj({
    description: Type.Optional(Type.String({ maxLength: 1024 })),
    runtime: Type.String({
      minLength: 1,
      description:
        'Base agent runtime id: scripted, agent-mux, claude-code or codex',
    }),
    model: Type.Optional(
      Type.String({ description: 'Model name passed to the runtime' }),
    ),
    owner: Type.Optional(
      Type.String({
        pattern: GROUP_REF_PATTERN,
        description:
          "Group entity ref of the team the stack's runs are charged to (owner budgets), e.g. group:default/payments",
      }),
    ),
    systemPrompt: Type.Optional(Type.String({ maxLength: 65536 })),
    toolProfile: Type.Optional(LocalName('AgentToolProfile name')),
    mcpServers: Type.Optional(Type.Array(LocalName('AgentMcpServer name'))),
    skills: Type.Optional(Type.Array(LocalName('AgentSkill name'))),
    subagents: Type.Optional(Type.Array(LocalName('AgentSubagent name'))),
    runnerPolicy: Type.Optional(
      Obj({
        pool: Type.Optional(Type.String({ description: 'Runner pool name' })),
        serviceAccountName: Type.Optional(
          LocalName('AgentServiceAccount the runner runs as'),
        ),
        timeoutSeconds: Type.Optional(Type.Integer({ minimum: 1 })),
        maxConcurrentRuns: Type.Optional(Type.Integer({ minimum: 1 })),
      }),
    ),
    writeBackPolicy: Type.Optional(
      Obj({
        mode: StringEnum(
          ['none', 'patch', 'branch', 'pull-request', 'comment'],
          {
            description: 'What the agent may write back to the repository',
          },
        ),
        requireApproval: Type.Optional(
          Type.Boolean({
            default: true,
            description:
              'Whether each write-back waits for an approval (false: applied once requested)',
          }),
        ),
        autoApproveTrusted: Type.Optional(
          Type.Boolean({
            default: false,
            description:
              'Write-backs of runs in a trusted workspace need no approval',
          }),
        ),
        requiredApprovals: Type.Optional(
          Type.Integer({
            minimum: 1,
            maximum: 10,
            default: 1,
            description: 'Distinct approvers each write-back needs (N of M)',
          }),
        ),
        expireAfterMinutes: Type.Optional(
          Type.Integer({
            minimum: 1,
            maximum: 43200,
            description:
              'Minutes until a write-back approval expires (default: agents.approvals.expireAfterMinutes)',
          }),
        ),
        expiryAction: Type.Optional(
          StringEnum(['reject', 'void'], {
            default: 'reject',
            description:
              'What an expired write-back approval does to its request',
          }),
        ),
        onChangesRequested: Type.Optional(
          StringEnum(['mark', 'continue'], {
            default: 'mark',
            description:
              'When a pull request review requests changes: mark the artifact, or also dispatch a continue attempt with the review',
          }),
        ),
      }),
    ),
    approvalMode: Type.Optional(
      StringEnum(['always', 'policy', 'never'], {
        description:
          'always: every privileged action needs a human; policy: the tool profile decides; never: no human gates',
        default: 'policy',
      }),
    ),
    allowSelfApproval: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          'Whether the user who dispatched a run may approve its own requests',
      }),
    ),
    approvers: Type.Optional(
      EntityRefs(
        "Who is notified of this stack's approval requests; default: the owner of the repository's catalog entity",
      ),
    ),
    script: Type.Optional(AgentScript),
    runtimeServiceAccountName: Type.Optional(
      LocalName('AgentServiceAccount the agent acts as'),
    ),
    workspacePolicy: Type.Optional(LocalName('AgentWorkspacePolicy name')),
    defaultContextLabels: Type.Optional(
      Type.Array(LocalName('AgentContextLabel name')),
    ),
    memorySource: Type.Optional(
      Obj({
        ...MemorySelection.properties,
        importUpdates: Type.Optional(
          Type.Boolean({
            default: false,
            description:
              'Files a run writes under .krate/memory/ become a proposed memory update (reviewed before they reach the memory)',
          }),
        ),
      }),
    ),
  }),
  status: Obj({
    ...BaseStatusFields,
    readiness: Type.Optional(StringEnum(['Ready', 'Warning', 'Invalid'])),
    profileDigest: Type.Optional(
      Type.String({ description: 'sha256 of the effective launch profile' }),
    ),
    effectiveProfile: Type.Optional(
      AnyJson({
        description:
          'The launch profile with every reference resolved, as runs snapshot it',
      }),
    ),
  }),
  printerColumns: [
    { name: 'Runtime', type: 'string', jsonPath: '.spec.runtime' },
    { name: 'Model', type: 'string', jsonPath: '.spec.model' },
    { name: 'Readiness', type: 'string', jsonPath: '.status.readiness' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
});

/** @public */
export type AgentStack = ResourceOf<typeof AgentStackKind>;
