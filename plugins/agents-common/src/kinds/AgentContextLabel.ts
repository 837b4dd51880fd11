import { defineKind, ResourceOf } from './defineKind';
import {
  BaseStatusFields,
  Obj,
  Sha256Digest,
  StringEnum,
  Timestamp,
  Type,
} from './schema';

/**
 * A reviewed prompt fragment with attachments that issues, rules and dispatches apply by name.
 * @public
 */
export const AgentContextLabelKind = defineKind({
  kind: 'AgentContextLabel',
  plural: 'agentcontextlabels',
  shortNames: ['alabel'],
  category: 'configuration',
  description:
    'A reviewed prompt fragment and attachments injected into the context of runs that carry the label.',
  spec: Obj({
    description: Type.Optional(Type.String({ maxLength: 1024 })),
    prompt: Type.String({
      minLength: 1,
      maxLength: 65536,
      description:
        'Prompt fragment added to the context bundle of runs with this label',
    }),
    attachments: Type.Optional(
      Obj({
        paths: Type.Optional(
          Type.Array(Type.String(), {
            description:
              "Files attached from the run's repository, relative to its root",
          }),
        ),
        urls: Type.Optional(Type.Array(Type.String({ format: 'uri' }))),
      }),
    ),
    reviewers: Type.Optional(
      Type.Array(Type.String(), {
        description:
          'Entity refs of users or groups who review changes, e.g. group:default/payments',
      }),
    ),
  }),
  status: Obj({
    ...BaseStatusFields,
    reviewState: Type.Optional(
      StringEnum(['pending', 'approved', 'changes-requested'], {
        description: 'An edit of the spec returns the label to pending',
      }),
    ),
    reviewedBy: Type.Optional(
      Type.String({ description: 'Entity ref of the reviewer' }),
    ),
    reviewedTime: Type.Optional(Timestamp()),
    reviewedGeneration: Type.Optional(Type.Integer({ minimum: 1 })),
    promptDigest: Type.Optional(
      Sha256Digest(
        'Digest of the reviewed prompt; runs record it to detect drift',
      ),
    ),
  }),
  printerColumns: [
    { name: 'Review', type: 'string', jsonPath: '.status.reviewState' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
});

/** @public */
export type AgentContextLabel = ResourceOf<typeof AgentContextLabelKind>;
