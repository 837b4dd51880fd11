import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  SignalPayload,
  signalsServiceRef,
} from '@backstage/plugin-signals-node';
import request from 'supertest';
import { agentsPlugin } from '../plugin';

jest.setTimeout(30_000);

async function publishedAfterApply(signals?: { enabled: boolean }) {
  const published: SignalPayload[] = [];
  const backend = await startTestBackend({
    features: [
      agentsPlugin,
      createServiceFactory({
        service: signalsServiceRef,
        deps: {},
        factory: () => ({
          publish: async (signal: SignalPayload) => {
            published.push(signal);
          },
        }),
      }),
      mockServices.rootConfig.factory({
        data: { agents: signals ? { signals } : {} },
      }),
    ],
  });
  const applied = await request(backend.server)
    .post('/api/agents/apply')
    .send({
      apiVersion: 'agents.krate.dev/v1alpha1',
      kind: 'AgentStack',
      metadata: { name: 'announced', namespace: 'acme' },
      spec: { runtime: 'scripted' },
    });
  expect(applied.status).toBe(200);
  for (let i = 0; i < 40 && published.length === 0; i++) {
    await new Promise(resolve => setTimeout(resolve, 50));
  }
  await backend.stop();
  return published.map(signal => signal.message);
}

describe('agents.signals.enabled', () => {
  it('announces changes by default', async () => {
    // Added, then its status written by the stack controller: one signal or two.
    expect(await publishedAfterApply()).toContainEqual(
      expect.objectContaining({
        kind: 'AgentStack',
        namespace: 'acme',
        name: 'announced',
      }),
    );
  });

  it('announces nothing when turned off', async () => {
    expect(await publishedAfterApply({ enabled: false })).toEqual([]);
  });
});
