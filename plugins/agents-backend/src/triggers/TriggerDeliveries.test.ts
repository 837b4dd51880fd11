import { mockServices } from '@backstage/backend-test-utils';
import { createTestStore } from '../__testUtils__/createTestStore';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { TriggerDeliveries } from './TriggerDeliveries';

const databases = createTestDatabases();

const delivery = (name: string, receivedTime: string) => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'WebhookDelivery',
  metadata: { name, namespace: 'acme' },
  spec: {
    source: 'github',
    eventType: 'issues.labeled',
    deliveryId: name,
    receivedTime,
    signatureVerified: true,
    payloadDigest: `sha256:${'0'.repeat(64)}`,
  },
  status: { state: 'received' },
});

describe.each(databases.eachSupportedId())(
  'TriggerDeliveries.failAbandoned on %p',
  databaseId => {
    it('fails deliveries left received past the age, and leaves newer ones', async () => {
      const { store } = await createTestStore(databases, databaseId);
      const minutesAgo = (minutes: number) =>
        new Date(Date.now() - minutes * 60_000).toISOString();
      await store.create(delivery('old', minutesAgo(20)), { actor: 'test' });
      await store.create(delivery('new', minutesAgo(1)), { actor: 'test' });
      const deliveries = new TriggerDeliveries({
        store,
        // failAbandoned only reads and writes delivery records.
        firing: undefined as any,
        endpoints: new Map(),
        payloads: undefined as any,
        logger: mockServices.logger.mock(),
      });

      expect(await deliveries.failAbandoned(10 * 60_000)).toBe(1);
      expect(
        (await store.get('WebhookDelivery', 'acme', 'old'))?.status,
      ).toEqual({
        state: 'failed',
        processedTime: expect.any(String),
        reason:
          'The backend stopped before processing this delivery; replay it, or redeliver it from its sender',
      });
      expect(
        (await store.get('WebhookDelivery', 'acme', 'new'))?.status?.state,
      ).toBe('received');
    });
  },
);
