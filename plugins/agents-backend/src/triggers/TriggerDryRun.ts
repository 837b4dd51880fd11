import {
  AgentTriggerExecution,
  AgentTriggerRule,
  TriggerDryRunRequest,
  TriggerDryRunResult,
} from '@krate/plugin-agents-common';
import { dryRunExecutionName } from '../dispatch/names';
import { ResourceStore } from '../resources/ResourceStore';
import { executionRecord } from './executionRecord';
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
  ) {}

  async run(
    rule: AgentTriggerRule,
    sample: TriggerDryRunRequest,
    viewer: ContextViewer,
  ): Promise<TriggerDryRunResult> {
    const evaluation = await this.evaluator.evaluate(rule, sample, viewer);
    const execution = await this.store.create(
      executionRecord(rule, sample, evaluation, {
        name: dryRunExecutionName(rule.metadata.name),
        dryRun: true,
      }),
      { actor: viewer.actor },
    );
    return {
      execution: execution as AgentTriggerExecution,
      ...evaluation,
      ...nextFiringsOf(rule, new Date()),
    };
  }
}
