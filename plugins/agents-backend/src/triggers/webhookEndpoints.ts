import { Config } from '@backstage/config';
import {
  DNS_LABEL_PATTERN,
  TRIGGER_EVENT_TYPES,
  TriggerEventType,
} from '@krate/plugin-agents-common';

/** A configured webhook endpoint, `POST /api/agents/webhooks/<name>`. */
export interface WebhookEndpoint {
  name: string;
  /** `github`: GitHub's (and Gitea's) headers and payloads; `generic`: any JSON. */
  type: 'github' | 'generic';
  /** Key of the HMAC-SHA256 signature every delivery must carry. */
  secret: string;
  /** The org whose rules a generic endpoint's deliveries go to. */
  namespace?: string;
}

const NAME = new RegExp(DNS_LABEL_PATTERN);

/** Reads `agents.webhooks`, refusing at startup what could never receive a delivery. */
export function readWebhookEndpoints(
  config: Config,
): Map<string, WebhookEndpoint> {
  const endpoints = new Map<string, WebhookEndpoint>();
  for (const [index, entry] of (
    config.getOptionalConfigArray('agents.webhooks') ?? []
  ).entries()) {
    const at = `agents.webhooks[${index}]`;
    const name = entry.getString('name');
    if (!NAME.test(name) || endpoints.has(name)) {
      throw new Error(
        `${at}.name: must be a unique lower-case DNS label, got '${name}'`,
      );
    }
    const type = entry.getOptionalString('type') ?? 'github';
    if (type !== 'github' && type !== 'generic') {
      throw new Error(`${at}.type: must be github or generic`);
    }
    const secret = entry.getString('secret');
    if (secret.length < 16) {
      throw new Error(`${at}.secret: must be at least 16 characters`);
    }
    const namespace = entry.getOptionalString('namespace');
    if (type === 'generic' && (!namespace || !NAME.test(namespace))) {
      throw new Error(`${at}.namespace: a generic endpoint needs its org`);
    }
    endpoints.set(name, { name, type, secret, namespace });
  }
  return endpoints;
}

/** What a GitHub (or Gitea) endpoint's deliveries can be: every event a forge sends. */
const FORGE_EVENT_TYPES = TRIGGER_EVENT_TYPES.filter(
  type => type !== 'schedule' && type !== 'webhook',
);

/** The trigger event types an endpoint delivers to the rules of an org. */
export function eventsDelivered(
  endpoint: WebhookEndpoint,
  namespace: string,
): TriggerEventType[] {
  if (endpoint.type === 'generic') {
    return endpoint.namespace === namespace ? ['webhook'] : [];
  }
  return FORGE_EVENT_TYPES;
}
