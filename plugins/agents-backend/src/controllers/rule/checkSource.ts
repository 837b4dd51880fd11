import { AgentTriggerRule } from '@krate/plugin-agents-common';
import {
  eventsDelivered,
  WebhookEndpoint,
} from '../../triggers/webhookEndpoints';
import { UnstampedCondition } from '../stampConditions';

function whatItDelivers(endpoint: WebhookEndpoint, namespace: string) {
  return endpoint.type === 'generic'
    ? `a generic endpoint of org ${endpoint.namespace}, which delivers webhook events to that org only`
    : `a GitHub endpoint, which delivers ${eventsDelivered(
        endpoint,
        namespace,
      ).join(', ')} events`;
}

/**
 * `SourceReady`: whether a configured webhook endpoint (`agents.webhooks`) delivers events the
 * rule listens to, to the rule's org — the endpoint `spec.source.webhook` names, or any — or,
 * for schedule events, whether the rule has a schedule.
 */
export function checkSource(
  rule: AgentTriggerRule,
  endpoints: ReadonlyMap<string, WebhookEndpoint>,
): UnstampedCondition {
  const { namespace } = rule.metadata;
  const { webhook, schedule, timeZone = 'UTC' } = rule.spec.source;
  const type = 'SourceReady';
  // The backend's scheduler delivers schedule events itself; endpoints deliver the others.
  const scheduled = rule.spec.source.events.includes('schedule') && !!schedule;
  const events = rule.spec.source.events.filter(
    t => !scheduled || t !== 'schedule',
  );
  const fromSchedule = scheduled
    ? ` The schedule '${schedule}' (${timeZone}) fires schedule events.`
    : '';
  if (!events.length) {
    return {
      type,
      status: 'True',
      reason: 'Scheduled',
      message: fromSchedule.trim(),
    };
  }
  const named = webhook ? endpoints.get(webhook) : undefined;
  if (webhook && !named) {
    const configured = [...endpoints.keys()].join(', ') || 'none';
    return {
      type,
      status: 'False',
      reason: 'WebhookEndpointNotConfigured',
      message: `spec.source.webhook names endpoint '${webhook}', which agents.webhooks does not configure (configured: ${configured}); add it there or name a configured endpoint.`,
    };
  }
  const delivered = (endpoint: WebhookEndpoint) =>
    eventsDelivered(endpoint, namespace).filter(t => events.includes(t));
  const delivering = (named ? [named] : [...endpoints.values()]).filter(
    endpoint => delivered(endpoint).length > 0,
  );
  if (named && !delivering.length) {
    return {
      type,
      status: 'False',
      reason: 'WebhookEndpointMismatch',
      message: `spec.source.webhook names endpoint '${webhook}', ${whatItDelivers(
        named,
        namespace,
      )}; none of the rule's events (${events.join(
        ', ',
      )}) reach org ${namespace} through it.`,
    };
  }
  if (!delivering.length) {
    return {
      type,
      status: 'False',
      reason: 'NoWebhookEndpoint',
      message: `No endpoint in agents.webhooks delivers ${events.join(
        ', ',
      )} events to org ${namespace}.`,
    };
  }
  const reached = events.filter(t =>
    delivering.some(endpoint => delivered(endpoint).includes(t)),
  );
  const missed = events.filter(t => !reached.includes(t));
  const names = delivering.map(endpoint => endpoint.name).join(', ');
  const subject =
    delivering.length > 1
      ? `Endpoints ${names} deliver`
      : `Endpoint ${names} delivers`;
  const gap = missed.length
    ? ` No endpoint delivers ${missed.join(', ')} events.`
    : '';
  return {
    type,
    status: 'True',
    reason: 'EndpointConfigured',
    message: `${subject} ${reached.join(
      ', ',
    )} events to org ${namespace}.${gap}${fromSchedule}`,
  };
}
