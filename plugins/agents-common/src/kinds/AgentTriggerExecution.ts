import { TRIGGER_EVENT_TYPES, TRIGGER_OUTCOMES } from './AgentTriggerRule';
import { defineKind, ResourceOf } from './defineKind';
import {
  AnyJson,
  BaseStatusFields,
  LocalName,
  Obj,
  StringEnum,
  Timestamp,
  Type,
} from './schema';

/**
 * One evaluation of a trigger rule against an event: whether it matched, its dedupe key, and the
 * run it created or joined, or why it was rejected.
 * @public
 */
export const AgentTriggerExecutionKind = defineKind({
  kind: 'AgentTriggerExecution',
  plural: 'agenttriggerexecutions',
  shortNames: ['atexec'],
  category: 'execution',
  description:
    'One evaluation of a trigger rule against an event: match, dedupe key, created run or rejection reason.',
  spec: Obj({
    rule: LocalName('AgentTriggerRule name'),
    ruleGeneration: Type.Optional(Type.Integer({ minimum: 1 })),
    source: StringEnum([...TRIGGER_EVENT_TYPES], {
      description: 'Event type evaluated',
    }),
    delivery: Type.Optional(
      LocalName(
        'WebhookDelivery name; unset for schedules and dry-runs of sample events',
      ),
    ),
    repository: Type.Optional(
      Type.String({ description: '<org>/<repository>' }),
    ),
    scheduledTime: Type.Optional(
      Timestamp('The schedule slot fired, skipped or caught up'),
    ),
    dryRun: Type.Optional(
      Type.Boolean({ description: 'Evaluated only; creates nothing' }),
    ),
    sampleEvent: Type.Optional(
      AnyJson({ description: 'The sample payload of a dry-run' }),
    ),
  }),
  status: Obj({
    ...BaseStatusFields,
    matched: Type.Optional(Type.Boolean()),
    outcome: Type.Optional(StringEnum([...TRIGGER_OUTCOMES])),
    dedupeKey: Type.Optional(Type.String()),
    rejectionReason: Type.Optional(
      Type.String({ description: 'Why policy or admission rejected a match' }),
    ),
    run: Type.Optional(
      LocalName(
        'AgentDispatchRun created, or the active run a coalesced delivery joined',
      ),
    ),
    message: Type.Optional(
      Type.String({
        description:
          'What happened, in words: skipped slots, a catch-up, an approval decision',
      }),
    ),
    skippedSlots: Type.Optional(
      Type.Integer({
        minimum: 0,
        description: 'Schedule slots missed and not fired',
      }),
    ),
    approval: Type.Optional(
      Obj(
        {
          name: LocalName('AgentApproval name'),
          state: Type.Optional(
            StringEnum(['pending', 'approved', 'rejected', 'expired', 'void']),
          ),
          decidedBy: Type.Optional(Type.String()),
          reason: Type.Optional(Type.String()),
          decisionTime: Type.Optional(Timestamp()),
        },
        { description: 'The approval the created run waits for' },
      ),
    ),
  }),
  printerColumns: [
    { name: 'Rule', type: 'string', jsonPath: '.spec.rule' },
    { name: 'Source', type: 'string', jsonPath: '.spec.source' },
    { name: 'Outcome', type: 'string', jsonPath: '.status.outcome' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
  indexes: {
    repository: 'spec.repository',
    source: 'spec.source',
    phase: 'status.outcome',
  },
});

/** @public */
export type AgentTriggerExecution = ResourceOf<
  typeof AgentTriggerExecutionKind
>;
