import { InputError } from '@backstage/errors';
import {
  parseAgentsRepositoryRef,
  TriggerEventType,
} from '@krate/plugin-agents-common';
import { IncomingHttpHeaders } from 'node:http';
import { valueAt } from './renderTemplate';
import { WebhookEndpoint } from './webhookEndpoints';

/** What a delivery says, read from its headers and payload. */
export interface ParsedDelivery {
  /** The endpoint it arrived on. */
  endpoint: string;
  deliveryId: string;
  /** The sender's event and action, e.g. `issues.labeled`. */
  eventType: string;
  /** The trigger event types it is, most specific first (`label` before `issue`). */
  sources: TriggerEventType[];
  repository?: string;
  namespace: string;
  payload: Record<string, unknown>;
}

const LABEL_ACTIONS = [
  'labeled',
  'unlabeled',
  'label_updated',
  'label_cleared',
];

function header(headers: IncomingHttpHeaders, ...names: string[]) {
  for (const name of names) {
    const value = headers[name];
    const text = Array.isArray(value) ? value[0] : value;
    if (text) return text;
  }
  return undefined;
}

/** GitHub's event names (Gitea sends the same ones) as trigger event types. */
export function triggerSourcesOf(
  event: string,
  payload: Record<string, unknown>,
): TriggerEventType[] {
  const action = valueAt(payload, 'action');
  const labelled =
    typeof action === 'string' && LABEL_ACTIONS.includes(action)
      ? (['label'] as const)
      : [];
  const ref = valueAt(payload, 'ref');
  switch (event) {
    case 'issues':
      return [...labelled, 'issue'];
    case 'issue_label':
      return ['label', 'issue'];
    case 'pull_request':
      return [...labelled, 'pull-request'];
    case 'pull_request_label':
      return ['label', 'pull-request'];
    case 'issue_comment':
    case 'pull_request_review_comment':
      return ['comment'];
    case 'push':
      return typeof ref === 'string' && ref.startsWith('refs/tags/')
        ? ['tag']
        : ['push'];
    case 'create':
      return valueAt(payload, 'ref_type') === 'tag' ? ['tag'] : [];
    case 'check_run':
    case 'check_suite':
    case 'status':
    case 'workflow_run':
      return ['check'];
    default:
      return [];
  }
}

/** `repository.full_name`, lower-cased: orgs are namespaces, which are lower-case. */
function repositoryOf(payload: Record<string, unknown>) {
  const fullName = valueAt(payload, 'repository.full_name');
  if (fullName === undefined) return undefined;
  const slug = typeof fullName === 'string' ? fullName.toLowerCase() : '';
  if (!parseAgentsRepositoryRef(slug)) {
    throw new InputError(
      'repository.full_name: must be <org>/<repository> in lower-case letters, digits, . _ and -',
    );
  }
  return slug;
}

/** Reads a verified delivery; throws InputError naming what is missing. */
export function parseDelivery(
  endpoint: WebhookEndpoint,
  headers: IncomingHttpHeaders,
  payload: unknown,
): ParsedDelivery {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new InputError('body: must be a JSON object');
  }
  const body = payload as Record<string, unknown>;
  const deliveryId = header(
    headers,
    'x-github-delivery',
    'x-gitea-delivery',
    'x-krate-delivery',
  );
  if (!deliveryId || deliveryId.length > 200) {
    throw new InputError(
      'X-GitHub-Delivery: a delivery id of at most 200 characters is required (X-Gitea-Delivery or X-Krate-Delivery also do)',
    );
  }
  const repository = repositoryOf(body);
  const action = valueAt(body, 'action');
  // Forges' actions are short snake_case words; anything else stays out of the record.
  const suffix =
    typeof action === 'string' && /^[a-z_]{1,64}$/.test(action)
      ? `.${action}`
      : '';
  if (endpoint.type === 'generic') {
    if (repository && !repository.startsWith(`${endpoint.namespace}/`)) {
      throw new InputError(
        `repository.full_name: ${repository} is not a repository of org ${endpoint.namespace}`,
      );
    }
    return {
      endpoint: endpoint.name,
      deliveryId,
      eventType: `webhook${suffix}`,
      sources: ['webhook'],
      ...(repository ? { repository } : {}),
      namespace: endpoint.namespace!,
      payload: body,
    };
  }
  const event = header(headers, 'x-github-event', 'x-gitea-event');
  if (!event || !/^[a-z_]{1,64}$/.test(event)) {
    throw new InputError(
      'X-GitHub-Event: an event name like issues is required (or X-Gitea-Event)',
    );
  }
  if (!repository) {
    throw new InputError('repository.full_name: is required');
  }
  return {
    endpoint: endpoint.name,
    deliveryId,
    eventType: `${event}${suffix}`,
    sources: triggerSourcesOf(event, body),
    repository,
    namespace: repository.split('/')[0],
    payload: body,
  };
}
