import { defineKind, ResourceOf } from './defineKind';
import { BaseStatusFields, Obj, StringEnum, Type } from './schema';

/** Classes of privileged action that a human may have to approve. @public */
export const ACTION_CLASSES = [
  'tool',
  'network',
  'secret',
  'shell',
  'write-back',
  'rebase',
  'release',
] as const;

/** @public */
export type ActionClass = (typeof ACTION_CLASSES)[number];

const Patterns = (description: string) =>
  Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description }));

/**
 * What an agent may do natively: tools, shell commands, filesystem and network access, and which
 * action classes wait for a human.
 * @public
 */
export const AgentToolProfileKind = defineKind({
  kind: 'AgentToolProfile',
  plural: 'agenttoolprofiles',
  shortNames: ['atool'],
  category: 'configuration',
  description:
    'Native tool, shell, filesystem and network policy of an agent, and which actions need approval.',
  spec: Obj({
    description: Type.Optional(Type.String({ maxLength: 1024 })),
    allowedTools: Patterns(
      'Native tool names the agent may use, e.g. Read, Edit, Bash',
    ),
    deniedTools: Patterns(
      'Native tool names the agent may not use; wins over allowedTools',
    ),
    shell: Type.Optional(
      Obj({
        allowCommands: Patterns(
          'Glob patterns of allowed command lines, e.g. "npm test*"',
        ),
        denyCommands: Patterns(
          'Glob patterns of denied command lines; win over allowCommands',
        ),
      }),
    ),
    filesystem: Type.Optional(
      Obj({
        readRoots: Patterns(
          'Paths the agent may read; relative paths are workspace-relative',
        ),
        writeRoots: Patterns(
          'Paths the agent may write; relative paths are workspace-relative',
        ),
        deniedPaths: Patterns(
          'Glob patterns never read or written, e.g. "**/.env"',
        ),
      }),
    ),
    network: Type.Optional(
      Obj({
        mode: StringEnum(['none', 'allow-list', 'open'], {
          description:
            'none: no egress; allow-list: only allowedHosts; open: any host',
        }),
        allowedHosts: Patterns(
          'Host names or *.domain wildcards, for allow-list mode',
        ),
      }),
    ),
    approvalRequired: Type.Optional(
      Type.Array(StringEnum([...ACTION_CLASSES]), {
        description:
          'Action classes that wait for an AgentApproval before they run',
      }),
    ),
  }),
  status: Obj({
    ...BaseStatusFields,
    readiness: Type.Optional(StringEnum(['Ready', 'Warning', 'Invalid'])),
  }),
  printerColumns: [
    { name: 'Network', type: 'string', jsonPath: '.spec.network.mode' },
    { name: 'Readiness', type: 'string', jsonPath: '.status.readiness' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
});

/** @public */
export type AgentToolProfile = ResourceOf<typeof AgentToolProfileKind>;
