import { AgentStack, AgentTriggerRule } from '@krate/plugin-agents-common';
import { LaunchProfile } from '@krate/plugin-agents-node';
import { policyPreviewOf } from '../../triggers/policyPreview';
import { WebhookEndpoint } from '../../triggers/webhookEndpoints';
import { ruleConditions } from './ruleConditions';

/**
 * The status a rule should have: its conditions and the policy preview of the runs it creates,
 * from the target stack's effective profile as the stack controller resolved it. What
 * deliveries record (last execution, counts) stays as it is.
 */
export function ruleStatus(
  rule: AgentTriggerRule,
  stack: AgentStack | undefined,
  endpoints: ReadonlyMap<string, WebhookEndpoint>,
  now: Date,
): AgentTriggerRule['status'] {
  return {
    ...rule.status,
    observedGeneration: rule.metadata.generation,
    policyPreview: policyPreviewOf(
      rule,
      stack?.status?.effectiveProfile as LaunchProfile | undefined,
    ),
    conditions: ruleConditions(rule, stack, endpoints, now),
  };
}
