import { MockFetchApi } from '@backstage/test-utils';
import { AgentsClient } from './AgentsClient';

const discoveryApi = {
  getBaseUrl: async (pluginId: string) => `http://backend.test/api/${pluginId}`,
};

function clientFor(body: unknown) {
  const calls: string[] = [];
  const fetchApi = new MockFetchApi({
    baseImplementation: async (input: any) => {
      calls.push(String(input));
      return new Response(JSON.stringify(body), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    },
  });
  return { client: new AgentsClient({ discoveryApi, fetchApi }), calls };
}

describe('AgentsClient sessions', () => {
  it('lists session records of one org by runtime label, indexed state and stack, as an item list', async () => {
    const session = { kind: 'AgentSession', metadata: { name: 'r-1-session' } };
    const { client, calls } = clientFor({
      items: [session],
      metadata: { resourceVersion: '9', continue: 'next' },
    });
    const list = await client.listSessions({
      namespace: 'acme',
      runtime: 'scripted',
      state: 'active',
      stack: 'scripted-demo',
      limit: 25,
    });
    expect(calls).toEqual([
      'http://backend.test/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/agentsessions?stack=scripted-demo&limit=25&phase=active&labelSelector=agents.krate.dev%2Fruntime%3Dscripted',
    ]);
    expect(list).toEqual({
      items: [session],
      continue: 'next',
      resourceVersion: '9',
    });
  });

  it('lists every org without filters', async () => {
    const { client, calls } = clientFor({
      items: [],
      metadata: { resourceVersion: '1' },
    });
    await client.listSessions();
    expect(calls).toEqual([
      'http://backend.test/api/agents/apis/agents.krate.dev/v1alpha1/agentsessions',
    ]);
  });
});
