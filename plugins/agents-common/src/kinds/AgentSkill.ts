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

const KeyRef = (what: 'Secret' | 'ConfigMap') =>
  Obj({ name: LocalName(`${what} name`), key: DataKey(`Key in the ${what}`) });

/**
 * A skill or runbook loaded from a repository, with the runtimes it works with and the Secret and
 * ConfigMap keys it needs.
 * @public
 */
export const AgentSkillKind = defineKind({
  kind: 'AgentSkill',
  plural: 'agentskills',
  shortNames: ['askill'],
  category: 'configuration',
  description:
    'A skill or runbook: its source in a repository, runtime compatibility and required Secrets and config.',
  spec: Obj({
    description: Type.Optional(Type.String({ maxLength: 1024 })),
    source: Obj({
      repository: Type.String({ description: '<org>/<repository>' }),
      path: Type.String({
        minLength: 1,
        description:
          'Directory or file of the skill, relative to the repository root',
      }),
      ref: Type.Optional(Type.String({ description: 'Branch, tag or commit' })),
    }),
    compatibleRuntimes: Type.Optional(
      Type.Array(Type.String(), {
        description:
          'Runtime ids the skill works with; unset means every runtime with skills',
      }),
    ),
    requiredSecrets: Type.Optional(Type.Array(KeyRef('Secret'))),
    requiredConfig: Type.Optional(Type.Array(KeyRef('ConfigMap'))),
  }),
  status: Obj({
    ...BaseStatusFields,
    validation: Type.Optional(StringEnum(['Pending', 'Valid', 'Invalid'])),
    resolvedCommit: Type.Optional(
      Type.String({
        description: 'Commit source.ref resolved to when last validated',
      }),
    ),
    lastValidationTime: Type.Optional(Timestamp()),
  }),
  printerColumns: [
    { name: 'Repository', type: 'string', jsonPath: '.spec.source.repository' },
    { name: 'Path', type: 'string', jsonPath: '.spec.source.path' },
    { name: 'Validation', type: 'string', jsonPath: '.status.validation' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
});

/** @public */
export type AgentSkill = ResourceOf<typeof AgentSkillKind>;
