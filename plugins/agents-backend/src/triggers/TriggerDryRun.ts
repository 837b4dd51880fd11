import {
  AgentStack,
  AgentTriggerExecution,
  AgentTriggerRule,
  TriggerDryRunRequest,
  TriggerDryRunResult,
} from '@krate/plugin-agents-common';
import { dryRunExecutionName } from '../dispatch/names';
import { ResourceStore } from '../resources/ResourceStore';
import { executionRecord } from './executionRecord';
import type { BudgetPolicy } from '../budgets/BudgetPolicy';
import { ContextViewer, TriggerEvaluator } from './TriggerEvaluator';
import {
  isScheduleProblem,
  isScheduleRule,
  nextSlots,
  readRuleSchedule,
} from './schedules/ruleSchedule';

/** A schedule rule's next five slots, or why its schedule cannot be read. */
function nextFiringsOf(
  rule: AgentTriggerRule,
  now: Date,
): Pick<TriggerDryRunResult, 'nextFirings' | 'scheduleError'> {
  if (!isScheduleRule(rule)) return {};
  const schedule = readRuleSchedule(rule, now);
  if (isScheduleProblem(schedule)) {
    return { scheduleError: `${schedule.path}: ${schedule.message}` };
  }
  return {
    nextFirings: nextSlots(schedule, now, 5).map(slot => slot.toISOString()),
  };
}

/**
 * Evaluates a sample event as a delivery would be evaluated and records it as an
 * AgentTriggerExecution with `dryRun: true`. It dispatches nothing and leaves the rule's status
 * alone: counts and the last execution are for real deliveries. A schedule rule's answer also
 * has its next five firings.
 */
export class TriggerDryRun {
  constructor(
    private readonly store: ResourceStore,
    private readonly evaluator: TriggerEvaluator,
    /** Estimates a matched event's run against its budgets; no `budget` without it. */
    private readonly budgets?: BudgetPolicy,
  ) {}

  /**
   * With `record: false`, for a draft rule that is not applied: the answer's execution is the
   * record a dry-run of the applied rule would store, and nothing is written.
   */
  async run(
    rule: AgentTriggerRule,
    sample: TriggerDryRunRequest,
    viewer: ContextViewer,
    { record = true }: { record?: boolean } = {},
  ): Promise<TriggerDryRunResult> {
    const evaluation = await this.evaluator.evaluate(rule, sample, viewer);
    const unstored = executionRecord(rule, sample, evaluation, {
      name: dryRunExecutionName(rule.metadata.name),
      dryRun: true,
    });
    const execution = record
      ? await this.store.create(unstored, { actor: viewer.actor })
      : unstored;
    return {
      execution: execution as AgentTriggerExecution,
      ...evaluation,
      ...nextFiringsOf(rule, new Date()),
      ...(await this.#budgetOf(rule, evaluation)),
    };
  }

  /** What the matched event's run would cost against the budgets covering it. */
  async #budgetOf(
    rule: AgentTriggerRule,
    evaluation: Awaited<ReturnType<TriggerEvaluator['evaluate']>>,
  ): Promise<Pick<TriggerDryRunResult, 'budget'>> {
    if (!this.budgets || !evaluation.matched || !evaluation.run) return {};
    const { namespace } = rule.metadata;
    const stack = (await this.store.get(
      'AgentStack',
      namespace,
      evaluation.run.stack,
    )) as AgentStack | undefined;
    if (!stack) return {};
    const owner = stack.spec.owner;
    return {
      budget: await this.budgets.estimate({
        namespace,
        target: {
          stack: stack.metadata.name,
          rule: rule.metadata.name,
          ...(owner ? { owner } : {}),
        },
        model: stack.spec.model,
        prompt: evaluation.run.prompt,
      }),
    };
  }
}
