import { AgentTriggerRule } from '@krate/plugin-agents-common';
import { UnstampedCondition } from '../stampConditions';

/** `Active`: whether the rule's lifecycle lets deliveries dispatch. */
export function checkLifecycle(rule: AgentTriggerRule): UnstampedCondition {
  const lifecycle = rule.spec.lifecycle ?? 'draft';
  if (lifecycle === 'active') {
    return {
      type: 'Active',
      status: 'True',
      reason: 'Active',
      message: 'spec.lifecycle is active: matching deliveries dispatch runs.',
    };
  }
  return {
    type: 'Active',
    status: 'False',
    reason: `Lifecycle${lifecycle[0].toUpperCase()}${lifecycle.slice(1)}`,
    message: `spec.lifecycle is ${lifecycle}: only active rules take deliveries; dry-runs still answer.`,
  };
}
