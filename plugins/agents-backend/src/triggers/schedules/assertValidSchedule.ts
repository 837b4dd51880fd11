import { InputError } from '@backstage/errors';
import { AgentTriggerRule } from '@krate/plugin-agents-common';
import { StoredResource } from '../../resources/ResourceStore';
import {
  isScheduleProblem,
  isScheduleRule,
  readRuleSchedule,
} from './ruleSchedule';

/**
 * Refuses (400, naming the field) a trigger rule that listens to schedule events without a
 * schedule that can fire; the schema alone cannot read a cron expression.
 */
export function assertValidSchedule(object: StoredResource): void {
  if (object.kind !== 'AgentTriggerRule') return;
  const rule = object as AgentTriggerRule;
  if (!rule.spec?.source?.events || !isScheduleRule(rule)) return;
  const read = readRuleSchedule(rule);
  if (isScheduleProblem(read)) {
    throw new InputError(`${read.path}: ${read.message}`);
  }
}
