import { defineKind, ResourceOf } from './defineKind';
import {
  BaseStatusFields,
  LocalName,
  Obj,
  Sha256Digest,
  StringEnum,
  Type,
} from './schema';

/** Kinds of part a context bundle is assembled from. @public */
export const CONTEXT_PART_KINDS = [
  'prompt',
  'system-prompt',
  'context-label',
  'file',
  'log',
  'memory',
] as const;

/**
 * The redacted context a run was given, part by part with provenance, and its digest, so a run
 * can show exactly what the agent saw.
 * @public
 */
export const AgentContextBundleKind = defineKind({
  kind: 'AgentContextBundle',
  plural: 'agentcontextbundles',
  shortNames: ['abundle'],
  category: 'execution',
  description:
    'The materialized, redacted context of a run: prompt, labels, files, logs and memory, with provenance and digest.',
  spec: Obj({
    run: LocalName('AgentDispatchRun name'),
    attempt: Type.Optional(LocalName('AgentDispatchAttempt name')),
    repository: Type.Optional(
      Type.String({ description: '<org>/<repository>' }),
    ),
    parts: Type.Array(
      Obj({
        kind: StringEnum([...CONTEXT_PART_KINDS]),
        content: Type.String({
          description: 'The part as given to the agent, after redaction',
        }),
        provenance: Obj({
          source: Type.String({
            minLength: 1,
            description:
              'Where the part came from: label name, repository path, log URL, memory path, "user"',
          }),
          ref: Type.Optional(
            Type.String({
              description:
                'Commit, label generation or memory commit the part was read at',
            }),
          ),
        }),
        redactions: Type.Integer({
          minimum: 0,
          description: 'How many spans were redacted from this part',
        }),
        digest: Type.Optional(Sha256Digest('Digest of content')),
      }),
    ),
    digest: Sha256Digest(
      'Digest over the ordered parts; the prompt hash runs record',
    ),
  }),
  status: Obj({ ...BaseStatusFields }),
  printerColumns: [
    { name: 'Run', type: 'string', jsonPath: '.spec.run' },
    { name: 'Digest', type: 'string', jsonPath: '.spec.digest' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
  indexes: { repository: 'spec.repository' },
});

/** @public */
export type AgentContextBundle = ResourceOf<typeof AgentContextBundleKind>;
