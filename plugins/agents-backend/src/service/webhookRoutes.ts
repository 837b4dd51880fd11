import express from 'express';
import Router from 'express-promise-router';
import { TriggerDeliveries } from '../triggers/TriggerDeliveries';

/** Forges send whole push payloads, which can pass the 1 MB of configuration bodies. */
const WEBHOOK_BODY_LIMIT = '5mb';

/**
 * `POST /webhooks/:endpoint`: signed deliveries from GitHub, Gitea or a generic sender. It is
 * open to unauthenticated callers and checks the delivery's own HMAC signature instead, so it
 * reads the raw body before any JSON parser touches it.
 */
export function createWebhookRoutes(deliveries: TriggerDeliveries) {
  const router = Router();
  router.post(
    '/webhooks/:endpoint',
    express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT }),
    async (req, res) => {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const { created, delivery } = await deliveries.receive(
        req.params.endpoint,
        req.headers,
        body,
      );
      res.status(created ? 202 : 200).json(delivery);
    },
  );
  return router;
}
