import {
  AgentDispatchRun,
  AgentTriggerExecution,
  AgentTriggerRule,
  TRIGGER_EVENT_TYPES,
  TRIGGER_OUTCOMES,
} from './kinds';
import { BudgetEstimate } from './budgets';
import { ContextPreview, DispatchRunRequest } from './dispatch';

/** An event type a trigger rule can listen to. @public */
export type TriggerEventType = (typeof TRIGGER_EVENT_TYPES)[number];

/**
 * What a delivery or schedule slot comes to: dispatched, coalesced, rejected, not-matched,
 * skipped (missed slots) or awaiting-approval (a run held for a human). @public
 */
export type TriggerOutcome = (typeof TRIGGER_OUTCOMES)[number];

/** The fields of {@link TriggerDryRunRequest}, as the API checks them. @public */
export const TRIGGER_DRY_RUN_FIELDS = [
  'source',
  'repository',
  'event',
] as const;

/**
 * The body of `POST /api/agents/rules/:rule/dry-run?namespace=<org>`: a sample event as its
 * source would deliver it.
 * @public
 */
export interface TriggerDryRunRequest {
  /** The sample's event type. */
  source: TriggerEventType;
  /** `<org>/<repository>` the event comes from; the org must be the rule's. */
  repository?: string;
  /** The event payload; matchers and templates read it as `event.<path>`. */
  event: Record<string, unknown>;
}

/** One condition of a rule, checked against the sample. @public */
export interface TriggerConditionResult {
  /** Where the condition is in the rule: `spec.source.events`, `spec.matchers[0]`, … */
  path: string;
  /** The condition in words, e.g. `label.name equals agent:ready`. */
  description: string;
  matched: boolean;
  /** For a matcher: the sample's value at its field; absent when the field is missing. */
  actual?: unknown;
  /** Why it did not match. */
  reason?: string;
}

/** The answer of a trigger rule dry-run: what a delivery of the sample would do now. @public */
export interface TriggerDryRunResult {
  /** The AgentTriggerExecution recorded for the dry-run (`spec.dryRun: true`). */
  execution: AgentTriggerExecution;
  /** The rule's lifecycle, and whether it dispatches at all (only `active` does). */
  lifecycle: NonNullable<AgentTriggerRule['spec']['lifecycle']>;
  lifecycleDispatches: boolean;
  /** Whether every condition matched. */
  matched: boolean;
  conditions: TriggerConditionResult[];
  /** What a delivery would come to if the rule were active, and why when not dispatched. */
  outcome: TriggerOutcome;
  reason?: string;
  /** The rendered `dedupeKeyTemplate`. */
  dedupeKey?: string;
  /** Unfinished runs of this rule, newest first. */
  activeRuns: string[];
  /** The active run with the same dedupe key that a coalesced delivery would join. */
  joins?: string;
  /** The active runs with the same dedupe key that a replacing delivery would cancel. */
  replaces?: string[];
  /** The run a delivery would create (when matched). */
  run?: DispatchRunRequest & {
    source: NonNullable<AgentDispatchRun['spec']['source']>;
  };
  /** The context bundle that run would start with, or why it cannot be assembled. */
  context?: ContextPreview;
  contextError?: string;
  /** Approval and write-back policy of the created run, from the target stack and the rule. */
  policyPreview: {
    approvalMode?: string;
    writeBackMode?: string;
    requiresApproval: boolean;
  };
  /** Template placeholders (`event.issue.title`) the sample lacks; they render empty. */
  missingFields: string[];
  /** A schedule rule's next five slots (ISO times), or why its schedule cannot be read. */
  nextFirings?: string[];
  scheduleError?: string;
  /** The run's cost estimate and the budgets that cover it (when matched). */
  budget?: BudgetEstimate;
}

/**
 * Label of the executions a trigger rule records, and of the runs it creates: the rule's name.
 * @public
 */
export const TRIGGER_RULE_LABEL = 'agents.krate.dev/trigger-rule';

/**
 * Label of a run a trigger rule created: the first 32 hex digits of the SHA-256 of its rendered
 * dedupe key (label values cannot hold the key itself), so active runs with the same key are
 * found by label selector.
 * @public
 */
export const DEDUPE_KEY_HASH_LABEL = 'agents.krate.dev/dedupe-key-hash';
