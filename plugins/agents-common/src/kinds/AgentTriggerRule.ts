import { MemorySelection } from './memorySelection';
import { defineKind, ResourceOf } from './defineKind';
import {
  BaseStatusFields,
  LocalName,
  Obj,
  StringEnum,
  Timestamp,
  Type,
} from './schema';

/** Event types a trigger rule can listen to. @public */
export const TRIGGER_EVENT_TYPES = [
  'issue',
  'pull-request',
  'comment',
  'label',
  'push',
  'tag',
  'check',
  'schedule',
  'webhook',
] as const;

/** The lifecycle states of a trigger rule; only `active` rules dispatch. @public */
export const TRIGGER_RULE_LIFECYCLES = [
  'draft',
  'active',
  'paused',
  'disabled',
  'archived',
] as const;

/** What became of one delivery a rule evaluated. @public */
export const TRIGGER_OUTCOMES = [
  'dispatched',
  'coalesced',
  'rejected',
  'not-matched',
  'skipped',
  'awaiting-approval',
] as const;

/**
 * What a schedule rule does with slots it missed while no backend ran: `skip` them (recorded,
 * never fired) or `catchUpOnce`: fire once, for the latest missed slot. Never a burst.
 * @public
 */
export const MISSED_SCHEDULE_POLICIES = ['skip', 'catchUpOnce'] as const;

const Count = Type.Optional(Type.Integer({ minimum: 0 }));

/**
 * Routes repository, CI, webhook and schedule events to an agent stack, with matchers, dedupe
 * and concurrency control and a lifecycle.
 * @public
 */
export const AgentTriggerRuleKind = defineKind({
  kind: 'AgentTriggerRule',
  plural: 'agenttriggerrules',
  shortNames: ['arule'],
  category: 'configuration',
  description:
    'An event-to-stack routing rule: source events, matchers, target stack, dedupe, concurrency and lifecycle.',
  spec: Obj({
    description: Type.Optional(Type.String({ maxLength: 1024 })),
    lifecycle: StringEnum([...TRIGGER_RULE_LIFECYCLES], {
      description:
        'Only active rules dispatch; draft and paused rules still answer dry-runs',
      default: 'draft',
    }),
    source: Obj({
      events: Type.Array(StringEnum([...TRIGGER_EVENT_TYPES]), { minItems: 1 }),
      repositories: Type.Optional(
        Type.Array(Type.String(), {
          description:
            '<org>/<repository> slugs; unset means every repository of the org',
        }),
      ),
      schedule: Type.Optional(
        Type.String({
          description:
            'Five-field cron expression (minute hour day-of-month month day-of-week); required when events include schedule',
        }),
      ),
      timeZone: Type.Optional(
        Type.String({
          description:
            'IANA time zone the schedule is read in, e.g. Europe/Paris; default UTC',
        }),
      ),
      missedSchedule: Type.Optional(
        StringEnum([...MISSED_SCHEDULE_POLICIES], {
          description:
            'Slots missed while no backend ran: skip them, or catchUpOnce (fire once for the latest)',
          default: 'skip',
        }),
      ),
      webhook: Type.Optional(
        Type.String({
          description:
            'Name of the generic webhook endpoint, for webhook events',
        }),
      ),
    }),
    matchers: Type.Optional(
      Type.Array(
        Obj({
          field: Type.String({
            minLength: 1,
            description: 'Dotted path into the event payload, e.g. label.name',
          }),
          operator: StringEnum(['equals', 'in', 'glob', 'regex', 'exists']),
          values: Type.Optional(Type.Array(Type.String())),
        }),
        { description: 'Every matcher must match (logical AND)' },
      ),
    ),
    stack: LocalName('AgentStack name'),
    promptTemplate: Type.Optional(
      Type.String({
        maxLength: 65536,
        description:
          'Prompt of the created run; {{event.<path>}} inserts payload fields',
      }),
    ),
    contextLabels: Type.Optional(
      Type.Array(LocalName('AgentContextLabel name')),
    ),
    memory: Type.Optional(
      Obj(
        { ...MemorySelection.properties },
        {
          description:
            "Memory the created runs read, added to the stack's memory queries",
        },
      ),
    ),
    dedupeKeyTemplate: Type.Optional(
      Type.String({
        description:
          'Deliveries with the same rendered key coalesce, e.g. {{repository}}#{{event.issue.number}}',
      }),
    ),
    concurrency: Type.Optional(
      Obj({
        policy: StringEnum(['allow', 'forbid', 'replace', 'coalesce'], {
          description:
            'While a run with the same dedupe key is active: allow another, forbid (reject) it, replace (cancel) the active one, or coalesce into it',
        }),
        maxConcurrentRuns: Type.Optional(Type.Integer({ minimum: 1 })),
      }),
    ),
    requireApproval: Type.Optional(
      Type.Boolean({
        description: 'Created runs wait for an AgentApproval before they start',
      }),
    ),
  }),
  status: Obj({
    ...BaseStatusFields,
    lastExecution: Type.Optional(
      Obj({
        time: Timestamp(),
        execution: Type.Optional(LocalName('AgentTriggerExecution name')),
        outcome: StringEnum([...TRIGGER_OUTCOMES]),
        run: Type.Optional(LocalName('AgentDispatchRun name')),
        reason: Type.Optional(Type.String()),
      }),
    ),
    counts: Type.Optional(
      Obj({
        dispatched: Count,
        coalesced: Count,
        rejected: Count,
        notMatched: Count,
        skipped: Count,
        awaitingApproval: Count,
        approved: Count,
        approvalRejected: Count,
        approvalExpired: Count,
      }),
    ),
    nextScheduledTime: Type.Optional(
      Timestamp('The next slot of spec.source.schedule'),
    ),
    lastScheduledTime: Type.Optional(
      Timestamp('The last slot the schedule fired for'),
    ),
    scheduleFiring: Type.Optional(
      Obj(
        {
          claimedTime: Timestamp(),
          slot: Type.Optional(Timestamp('The slot being fired')),
          late: Type.Optional(
            Type.Boolean({ description: 'A missed slot caught up' }),
          ),
          skipped: Type.Optional(
            Obj({
              count: Type.Integer({ minimum: 1 }),
              atLeast: Type.Optional(Type.Boolean()),
              first: Timestamp(),
              last: Timestamp(),
            }),
          ),
        },
        {
          description:
            'The slots one tick claimed and is firing or skipping; a later tick finishes what an interrupted one left',
        },
      ),
    ),
    scheduledThrough: Type.Optional(
      Timestamp(
        'Every slot up to this time is handled (fired, skipped or caught up)',
      ),
    ),
    policyPreview: Type.Optional(
      Obj(
        {
          approvalMode: Type.Optional(Type.String()),
          writeBackMode: Type.Optional(Type.String()),
          requiresApproval: Type.Optional(Type.Boolean()),
        },
        {
          description:
            'Approval and write-back policy of created runs, from the target stack',
        },
      ),
    ),
  }),
  printerColumns: [
    { name: 'Stack', type: 'string', jsonPath: '.spec.stack' },
    { name: 'Lifecycle', type: 'string', jsonPath: '.spec.lifecycle' },
    { name: 'Last', type: 'string', jsonPath: '.status.lastExecution.outcome' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
});

/** @public */
export type AgentTriggerRule = ResourceOf<typeof AgentTriggerRuleKind>;
