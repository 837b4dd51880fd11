import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  ConflictError,
  isError,
  NotFoundError,
} from '@backstage/errors';
import {
  AGENTS_API_GROUP_VERSION,
  AgentTriggerRule,
  WebhookDelivery,
} from '@krate/plugin-agents-common';
import { createHash } from 'node:crypto';
import { IncomingHttpHeaders } from 'node:http';
import { WebhookPayloads } from '../database/WebhookPayloads';
import { randomSuffix } from '../dispatch/names';
import { ResourceStore, StoredResource } from '../resources/ResourceStore';
import {
  parseDelivery,
  ParsedDelivery,
  triggerSourcesOf,
} from './parseDelivery';
import { parseJsonText } from '../service/input/parseJsonText';
import { decodeUtf8 } from '../service/input/readBody';
import { RuleFiring, TRIGGER_CONTROLLER_ACTOR } from './RuleFiring';
import { hasValidSignature } from './verifySignature';
import { WebhookEndpoint } from './webhookEndpoints';

export { TRIGGER_CONTROLLER_ACTOR };

export interface TriggerDeliveriesOptions {
  store: ResourceStore;
  /** Fires the rules a delivery matches; schedules share it. */
  firing: RuleFiring;
  endpoints: Map<string, WebhookEndpoint>;
  /** Raw bodies, kept for replays. */
  payloads: WebhookPayloads;
  logger: LoggerService;
  /** Told of every delivery first: reviews of pull requests the agents wrote. */
  reviews?: { onDelivery(parsed: ParsedDelivery): Promise<void> };
  /** Told of every delivery before the rules: records the issue or pull request as a WorkItem. */
  workItems?: { onDelivery(parsed: ParsedDelivery): Promise<void> };
}

const sha256 = (text: string | Buffer) =>
  createHash('sha256').update(text).digest('hex');

/** A delivery's JSON; its NUL characters are dropped where they are used (renderTemplate). */
function parseJson(body: Buffer): unknown {
  return parseJsonText(decodeUtf8(body), { allowNul: true });
}

/**
 * The live side of trigger rules: records each signed webhook delivery, evaluates it against
 * the active rules of its org that listen to its event type and repository, records an
 * AgentTriggerExecution per rule, dispatches (or coalesces, rejects, replaces) and keeps each
 * rule's status counts. A delivery is answered as soon as it is recorded; the rules run after.
 */
export class TriggerDeliveries {
  readonly #options: TriggerDeliveriesOptions;
  readonly #firing: RuleFiring;
  /** One delivery at a time per instance, so two of the same dedupe key see each other. */
  #queue: Promise<void> = Promise.resolve();

  constructor(options: TriggerDeliveriesOptions) {
    this.#options = options;
    this.#firing = options.firing;
  }

  /** Checks and records a delivery; `created` is false for a delivery id seen before. */
  async receive(
    endpointName: string,
    headers: IncomingHttpHeaders,
    body: Buffer,
  ): Promise<{ created: boolean; delivery: WebhookDelivery }> {
    const { store, endpoints } = this.#options;
    const endpoint = endpoints.get(endpointName);
    if (!endpoint) {
      throw new NotFoundError(`No webhook endpoint ${endpointName}`);
    }
    if (!hasValidSignature(headers, body, endpoint.secret)) {
      throw new AuthenticationError(
        'X-Hub-Signature-256: missing or not the HMAC-SHA256 of the body with the endpoint secret',
      );
    }
    const parsed = parseDelivery(endpoint, headers, parseJson(body));
    const name = `${endpoint.name.slice(0, 40)}-${sha256(
      parsed.deliveryId,
    ).slice(0, 16)}`;
    const seen = await store.get('WebhookDelivery', parsed.namespace, name);
    if (seen) return { created: false, delivery: seen as WebhookDelivery };

    return this.#record(
      {
        name,
        namespace: parsed.namespace,
        spec: {
          source: endpoint.name,
          eventType: parsed.eventType,
          deliveryId: parsed.deliveryId,
          ...(parsed.repository ? { repository: parsed.repository } : {}),
          payloadDigest: `sha256:${sha256(body)}`,
        },
        payload: body.toString('utf8'),
      },
      parsed,
    );
  }

  /**
   * Runs a recorded delivery through the rules again, as a new delivery with `replayOf` set,
   * from its kept payload; ConflictError once the payload's retention has ended.
   */
  async replay(
    original: WebhookDelivery,
  ): Promise<{ created: boolean; delivery: WebhookDelivery }> {
    const { namespace, name } = original.metadata;
    const payload = await this.#options.payloads.get(namespace, name);
    if (payload === undefined) {
      throw new ConflictError(
        `WebhookDelivery ${namespace}/${name} cannot be replayed: its payload is no longer kept`,
      );
    }
    const parsed = this.#parsedOf(original, payload);
    const { spec } = original;
    return this.#record(
      {
        name: `${name.slice(0, 48)}-replay-${randomSuffix(6)}`,
        namespace,
        spec: {
          source: spec.source,
          eventType: spec.eventType,
          deliveryId: spec.deliveryId,
          ...(spec.repository ? { repository: spec.repository } : {}),
          payloadDigest: spec.payloadDigest,
          replayOf: name,
        },
        payload,
      },
      parsed,
    );
  }

  /**
   * A recorded delivery as the rules read it: its trigger sources and its kept payload (the body
   * alone; headers and signature are not kept). NotFoundError once the retention has ended.
   */
  async sampleOf(original: WebhookDelivery): Promise<ParsedDelivery> {
    const { namespace, name } = original.metadata;
    const payload = await this.#options.payloads.get(namespace, name);
    if (payload === undefined) {
      throw new NotFoundError(
        `WebhookDelivery ${namespace}/${name}: its payload is no longer kept`,
      );
    }
    return this.#parsedOf(original, payload);
  }

  #parsedOf(original: WebhookDelivery, payload: string): ParsedDelivery {
    const body = JSON.parse(payload) as Record<string, unknown>;
    const { spec } = original;
    const [event] = spec.eventType.split('.');
    return {
      endpoint: spec.source,
      deliveryId: spec.deliveryId,
      eventType: spec.eventType,
      sources:
        this.#options.endpoints.get(spec.source)?.type === 'generic'
          ? ['webhook']
          : triggerSourcesOf(event, body),
      ...(spec.repository ? { repository: spec.repository } : {}),
      namespace: original.metadata.namespace,
      payload: body,
    };
  }

  /** Keeps the payload, records the delivery as received and queues its processing. */
  async #record(
    delivery: {
      name: string;
      namespace: string;
      spec: Omit<WebhookDelivery['spec'], 'receivedTime' | 'signatureVerified'>;
      payload: string;
    },
    parsed: ParsedDelivery,
  ): Promise<{ created: boolean; delivery: WebhookDelivery }> {
    const { store, payloads } = this.#options;
    const { name, namespace } = delivery;
    await payloads.save(namespace, name, delivery.payload);
    let created: StoredResource;
    try {
      created = await store.create(
        {
          apiVersion: AGENTS_API_GROUP_VERSION,
          kind: 'WebhookDelivery',
          metadata: { name, namespace },
          spec: {
            ...delivery.spec,
            receivedTime: new Date().toISOString(),
            signatureVerified: true,
          },
          status: { state: 'received' },
        } as StoredResource,
        { actor: TRIGGER_CONTROLLER_ACTOR },
      );
    } catch (error) {
      const again = await store.get('WebhookDelivery', namespace, name);
      if (isError(error) && error.name === 'ConflictError' && again) {
        return { created: false, delivery: again as WebhookDelivery };
      }
      throw error;
    }
    this.#queue = this.#queue.then(() =>
      this.#process(created as WebhookDelivery, parsed),
    );
    return { created: true, delivery: created as WebhookDelivery };
  }

  /**
   * Marks deliveries still `received` after `maxAgeMs` as failed: the instance that took them
   * stopped before processing them. They can be replayed while their payload is kept.
   */
  async failAbandoned(maxAgeMs: number): Promise<number> {
    const { store } = this.#options;
    const cutoff = new Date(Date.now() - maxAgeMs).toISOString();
    const page = await store.list('WebhookDelivery', {
      fieldFilters: { phase: 'received' },
      limit: 500,
    });
    let failed = 0;
    for (const delivery of page.items as WebhookDelivery[]) {
      if (delivery.spec.receivedTime > cutoff) continue;
      const status = {
        state: 'failed',
        processedTime: new Date().toISOString(),
        reason:
          'The backend stopped before processing this delivery; replay it, or redeliver it from its sender',
      };
      try {
        await store.updateStatus({ ...delivery, status } as StoredResource, {
          actor: TRIGGER_CONTROLLER_ACTOR,
        });
        failed++;
      } catch (error) {
        // Processed meanwhile by the instance that took it.
        if (!isError(error) || error.name !== 'ConflictError') throw error;
      }
    }
    return failed;
  }

  /** Resolves once every delivery received so far is processed. */
  async idle(): Promise<void> {
    await this.#queue;
  }

  async #process(delivery: WebhookDelivery, parsed: ParsedDelivery) {
    const { store, logger } = this.#options;
    let status: WebhookDelivery['status'];
    try {
      await this.#options.reviews?.onDelivery(parsed);
      await this.#options.workItems?.onDelivery(parsed);
      const executions: string[] = [];
      for (const rule of await this.#listeningRules(parsed)) {
        executions.push(await this.#applyRule(rule, delivery, parsed));
      }
      status = {
        state: 'processed',
        processedTime: new Date().toISOString(),
        executions,
      };
    } catch (error) {
      logger.warn(
        `Webhook delivery ${delivery.metadata.namespace}/${delivery.metadata.name} failed`,
        isError(error) ? error : undefined,
      );
      status = {
        state: 'failed',
        processedTime: new Date().toISOString(),
        reason: isError(error) ? error.message : String(error),
      };
    }
    await store
      .updateStatus({ ...delivery, status } as StoredResource, {
        actor: TRIGGER_CONTROLLER_ACTOR,
      })
      .catch(error =>
        logger.error(
          `Could not record the outcome of webhook delivery ${delivery.metadata.name}`,
          error,
        ),
      );
  }

  /** Active rules of the org that listen to this event type and repository. */
  async #listeningRules(parsed: ParsedDelivery): Promise<AgentTriggerRule[]> {
    const rules: AgentTriggerRule[] = [];
    let continueToken: string | undefined;
    do {
      const page = await this.#options.store.list('AgentTriggerRule', {
        namespace: parsed.namespace,
        limit: 500,
        continueToken,
      });
      for (const rule of page.items as AgentTriggerRule[]) {
        const { lifecycle, source } = rule.spec;
        const repositories = source.repositories ?? [];
        if (
          lifecycle === 'active' &&
          parsed.sources.some(type => source.events.includes(type)) &&
          (repositories.length === 0 ||
            (parsed.repository !== undefined &&
              repositories.includes(parsed.repository))) &&
          (!source.webhook || source.webhook === parsed.endpoint)
        ) {
          rules.push(rule);
        }
      }
      continueToken = page.continueToken;
    } while (continueToken);
    return rules;
  }

  /** Evaluates one rule, records its execution, dispatches; returns the execution's name. */
  async #applyRule(
    rule: AgentTriggerRule,
    delivery: WebhookDelivery,
    parsed: ParsedDelivery,
  ): Promise<string> {
    const event = {
      source: parsed.sources.find(type =>
        rule.spec.source.events.includes(type),
      )!,
      ...(parsed.repository ? { repository: parsed.repository } : {}),
      event: parsed.payload,
    };
    const name = `${rule.metadata.name.slice(0, 40)}-${sha256(
      `${delivery.metadata.name}/${rule.metadata.name}`,
    ).slice(0, 12)}`;
    // A created (not claimed) execution always comes back with its name.
    return (await this.#firing.fire(rule, event, {
      name,
      delivery: delivery.metadata.name,
    }))!;
  }
}
