import { AuditorService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  AGENTS_API_GROUP_VERSION,
  agentsResourcePermission,
  findKind,
  WebhookDelivery,
} from '@krate/plugin-agents-common';
import Router from 'express-promise-router';
import { TriggerDeliveries } from '../triggers/TriggerDeliveries';
import { audited } from './audited';
import { queryString } from './requestParsing';
import { listOrWatch } from './resourceRoutes';
import { ResourceService } from './ResourceService';

export interface DeliveryRoutesOptions {
  service: ResourceService;
  deliveries: TriggerDeliveries;
  auditor: AuditorService;
}

/** The recorded webhook deliveries, a delivery's kept payload, and replaying one through the rules again. */
export function createDeliveryRoutes({
  service,
  deliveries,
  auditor,
}: DeliveryRoutesOptions) {
  const router = Router();
  const kind = findKind('WebhookDelivery')!;

  router.get('/deliveries', async (req, res) => {
    await listOrWatch(req, res, service, kind, undefined, 'items');
  });

  // Read like the delivery itself: the payload is the body the forge signed, nothing more.
  router.get('/deliveries/:delivery/payload', async (req, res) => {
    const namespace = queryString(req, 'namespace');
    if (!namespace) {
      throw new InputError('namespace: is required (?namespace=<org>)');
    }
    const delivery = (await service.get(
      req,
      'WebhookDelivery',
      namespace,
      req.params.delivery,
    )) as WebhookDelivery;
    const sample = await deliveries.sampleOf(delivery);
    res.json({
      delivery: delivery.metadata.name,
      eventType: sample.eventType,
      sources: sample.sources,
      ...(sample.repository ? { repository: sample.repository } : {}),
      event: sample.payload,
    });
  });

  router.post('/deliveries/:delivery/replay', async (req, res) => {
    const namespace = queryString(req, 'namespace');
    if (!namespace) {
      throw new InputError('namespace: is required (?namespace=<org>)');
    }
    const original = (await service.get(
      req,
      'WebhookDelivery',
      namespace,
      req.params.delivery,
    )) as WebhookDelivery;
    await service.access.authorize(
      req,
      agentsResourcePermission('WebhookDelivery', 'create'),
      {
        apiVersion: AGENTS_API_GROUP_VERSION,
        kind: 'WebhookDelivery',
        metadata: { namespace, name: original.metadata.name },
        spec: {},
      },
    );
    const { delivery } = await audited(
      auditor,
      req,
      'webhook-delivery-replay',
      { namespace, delivery: original.metadata.name },
      () => deliveries.replay(original),
    );
    res.status(202).json(delivery);
  });

  return router;
}
