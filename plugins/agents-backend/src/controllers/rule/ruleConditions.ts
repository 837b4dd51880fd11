import {
  AgentStack,
  AgentTriggerRule,
  Condition,
} from '@krate/plugin-agents-common';
import { WebhookEndpoint } from '../../triggers/webhookEndpoints';
import { stampConditions, UnstampedCondition } from '../stampConditions';
import { checkLifecycle } from './checkLifecycle';
import { checkSource } from './checkSource';
import { checkTargetStack } from './checkTargetStack';

/** Where a ready rule's events come from, in the words of its `SourceReady` reason. */
const EVENTS_FROM: Record<string, string> = {
  Scheduled: 'its schedule fires its events',
};

function readyOf(checks: UnstampedCondition[]): UnstampedCondition {
  const failed = checks.filter(c => c.status === 'False');
  const blocking = failed.length
    ? failed
    : checks.filter(c => c.status === 'Unknown');
  if (!blocking.length) {
    const source = checks.find(c => c.type === 'SourceReady');
    const eventsFrom =
      EVENTS_FROM[source?.reason ?? ''] ?? 'an endpoint delivers its events';
    return {
      type: 'Ready',
      status: 'True',
      reason: 'Ready',
      message: `The rule is active, its stack can run and ${eventsFrom}.`,
    };
  }
  const reasons = blocking.map(c => c.reason).join(', ');
  const messages = blocking.map(c => c.message).join(' ');
  return {
    type: 'Ready',
    status: failed.length ? 'False' : 'Unknown',
    reason: blocking[0].reason,
    message: failed.length
      ? `The rule cannot dispatch (${reasons}). ${messages}`
      : `Whether the rule can dispatch is not known yet (${reasons}). ${messages}`,
  };
}

/**
 * The rule's conditions: `Ready` (True while deliveries can dispatch runs), then `StackReady`,
 * `SourceReady` and `Active`, whose failures Ready names in that order.
 */
export function ruleConditions(
  rule: AgentTriggerRule,
  stack: AgentStack | undefined,
  endpoints: ReadonlyMap<string, WebhookEndpoint>,
  now: Date,
): Condition[] {
  const checks = [
    checkTargetStack(rule, stack),
    checkSource(rule, endpoints),
    checkLifecycle(rule),
  ];
  return stampConditions(
    [readyOf(checks), ...checks],
    rule.status?.conditions,
    now,
  );
}
