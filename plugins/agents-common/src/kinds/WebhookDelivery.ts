import { defineKind, ResourceOf } from './defineKind';
import {
  BaseStatusFields,
  LocalName,
  Obj,
  Sha256Digest,
  StringEnum,
  Timestamp,
  Type,
} from './schema';

/**
 * One incoming webhook delivery: where it came from, whether its signature held, and what
 * processing it made of it. Replays are new deliveries that point at the original.
 * @public
 */
export const WebhookDeliveryKind = defineKind({
  kind: 'WebhookDelivery',
  plural: 'webhookdeliveries',
  shortNames: ['whdelivery'],
  category: 'execution',
  description:
    'An incoming webhook delivery: source, event type, signature check, payload digest and processing result.',
  spec: Obj({
    source: Type.String({
      minLength: 1,
      description:
        'Endpoint it arrived on: github, gitea, or a generic webhook name',
    }),
    eventType: Type.String({
      minLength: 1,
      description: 'e.g. issues.labeled, check_run.completed',
    }),
    deliveryId: Type.String({
      minLength: 1,
      description: "The sender's delivery id",
    }),
    repository: Type.Optional(
      Type.String({ description: '<org>/<repository>' }),
    ),
    receivedTime: Timestamp(),
    signatureVerified: Type.Boolean(),
    payloadDigest: Sha256Digest('Digest of the raw payload'),
    replayOf: Type.Optional(LocalName('WebhookDelivery this one replays')),
  }),
  status: Obj({
    ...BaseStatusFields,
    state: Type.Optional(StringEnum(['received', 'processed', 'failed'])),
    reason: Type.Optional(Type.String()),
    processedTime: Type.Optional(Timestamp()),
    executions: Type.Optional(
      Type.Array(LocalName('AgentTriggerExecution name')),
    ),
  }),
  printerColumns: [
    { name: 'Source', type: 'string', jsonPath: '.spec.source' },
    { name: 'Event', type: 'string', jsonPath: '.spec.eventType' },
    { name: 'State', type: 'string', jsonPath: '.status.state' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
  indexes: {
    repository: 'spec.repository',
    source: 'spec.source',
    phase: 'status.state',
  },
});

/** @public */
export type WebhookDelivery = ResourceOf<typeof WebhookDeliveryKind>;
