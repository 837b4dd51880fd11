import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { agentsResourcePermission } from '@krate/plugin-agents-common';
import { createHmac } from 'node:crypto';
import request from 'supertest';
import { agentsPlugin } from '../plugin';
import { createTestStore } from '../__testUtils__/createTestStore';
import { permissionsDenying } from '../__testUtils__/permissionsDenying';
import { createTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const SECRET = 'webhook-secret-of-acme-0123456789';
const deliveryRead = agentsResourcePermission('WebhookDelivery', 'read').name;

const labelled = {
  action: 'labeled',
  label: { name: 'agent:ready' },
  issue: { number: 42, title: 'Checkout total is off', state: 'open' },
  repository: { full_name: 'acme/checkout-web' },
};

describe.each(databases.eachSupportedId())(
  'GET /deliveries/:delivery/payload on %p',
  databaseId => {
    let denied: string[] = [];

    async function start() {
      denied = [];
      const { db } = await createTestStore(databases, databaseId);
      const { server } = await startTestBackend({
        features: [
          agentsPlugin,
          permissionsDenying(name => denied.includes(name)).factory,
          mockServices.database.factory({ knex: db.knex }),
          mockServices.rootConfig.factory({
            data: {
              agents: {
                permissions: { decisionCacheSeconds: 0 },
                webhooks: [{ name: 'github', secret: SECRET }],
              },
            },
          }),
        ],
      });
      const body = JSON.stringify(labelled);
      const delivered = await request(server)
        .post('/api/agents/webhooks/github')
        .set('content-type', 'application/json')
        .set('x-github-event', 'issues')
        .set('x-github-delivery', 'd-1')
        .set(
          'x-hub-signature-256',
          `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
        )
        .send(body);
      expect(delivered.status).toBe(202);
      return { server, knex: db.knex, name: delivered.body.metadata.name };
    }

    it('gives back the body the forge signed as a sample: its sources, event type and repository, without headers', async () => {
      const { server, name } = await start();
      const response = await request(server).get(
        `/api/agents/deliveries/${name}/payload?namespace=acme`,
      );

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        delivery: name,
        eventType: 'issues.labeled',
        sources: ['label', 'issue'],
        repository: 'acme/checkout-web',
        event: labelled,
      });
      expect(JSON.stringify(response.body)).not.toMatch(
        /sha256=|x-hub-signature|x-github-delivery/i,
      );
    });

    it('is read like the delivery: 400 without the org, 404 for none or once the payload is pruned, 403 without read', async () => {
      const { server, knex, name } = await start();
      const get = (path: string) => request(server).get(path);

      const noOrg = await get(`/api/agents/deliveries/${name}/payload`);
      expect([noOrg.status, noOrg.body.error.message]).toEqual([
        400,
        'namespace: is required (?namespace=<org>)',
      ]);
      expect(
        (await get('/api/agents/deliveries/nope/payload?namespace=acme'))
          .status,
      ).toBe(404);

      denied = [deliveryRead];
      const refused = await get(
        `/api/agents/deliveries/${name}/payload?namespace=acme`,
      );
      expect(refused.status).toBe(403);
      expect(refused.body.event).toBeUndefined();

      denied = [];
      await knex('agents_webhook_payloads').delete();
      const pruned = await get(
        `/api/agents/deliveries/${name}/payload?namespace=acme`,
      );
      expect([pruned.status, pruned.body.error.message]).toEqual([
        404,
        `WebhookDelivery acme/${name}: its payload is no longer kept`,
      ]);
    });
  },
);
