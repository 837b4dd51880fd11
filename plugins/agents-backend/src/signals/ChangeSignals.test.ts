import { mockServices } from '@backstage/backend-test-utils';
import { SignalPayload } from '@backstage/plugin-signals-node';
import { createTestStore } from '../__testUtils__/createTestStore';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { StoredResource } from '../resources/ResourceStore';
import { ChangeSignals } from './ChangeSignals';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const alice = { actor: 'user:default/alice' };

const object = (kind: string, name: string): StoredResource => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind,
  metadata: { name, namespace: 'acme' },
  spec:
    kind === 'AgentStack'
      ? { runtime: 'scripted' }
      : { stack: 'reviewer', prompt: 'fix it' },
});

describe.each(databases.eachSupportedId())(
  'ChangeSignals on %p',
  databaseId => {
    it('announces each changed run and stack once per batch, on the agents channel, by name only', async () => {
      const { store } = await createTestStore(databases, databaseId);
      await store.create(object('AgentStack', 'before'), alice);
      const published: SignalPayload[] = [];
      const signals = new ChangeSignals({
        store,
        signals: { publish: async signal => void published.push(signal) },
        logger: mockServices.logger.mock(),
      });
      await signals.start();
      await signals.stop();

      const run = await store.create(
        object('AgentDispatchRun', 'run-1'),
        alice,
      );
      await store.updateStatus({ ...run, status: { phase: 'Running' } }, alice);
      await store.create(object('AgentStack', 'reviewer'), alice);
      await store.create(object('AgentContextLabel', 'not-signalled'), alice);
      await store.create(object('AgentTriggerExecution', 'ready-dry-1'), alice);

      expect(await signals.publishPending()).toBe(3);
      expect(published).toEqual([
        {
          recipients: { type: 'broadcast' },
          channel: 'agents:changes',
          message: {
            kind: 'AgentDispatchRun',
            namespace: 'acme',
            name: 'run-1',
            type: 'MODIFIED',
          },
        },
        {
          recipients: { type: 'broadcast' },
          channel: 'agents:changes',
          message: {
            kind: 'AgentStack',
            namespace: 'acme',
            name: 'reviewer',
            type: 'ADDED',
          },
        },
        {
          recipients: { type: 'broadcast' },
          channel: 'agents:changes',
          message: {
            kind: 'AgentTriggerExecution',
            namespace: 'acme',
            name: 'ready-dry-1',
            type: 'ADDED',
          },
        },
      ]);
      expect(await signals.publishPending()).toBe(0);
    });

    it('publishes on its own after a write, until stopped', async () => {
      const { store } = await createTestStore(databases, databaseId);
      const published: SignalPayload[] = [];
      const signals = new ChangeSignals({
        store,
        signals: { publish: async signal => void published.push(signal) },
        logger: mockServices.logger.mock(),
        batchMs: 10,
      });
      await signals.start();
      await store.create(object('AgentDispatchRun', 'live'), alice);
      for (let i = 0; i < 100 && published.length === 0; i++) {
        await new Promise(resolve => setTimeout(resolve, 20));
      }
      await signals.stop();
      expect(published.map(p => p.message)).toEqual([
        expect.objectContaining({ kind: 'AgentDispatchRun', name: 'live' }),
      ]);
    });
  },
);
