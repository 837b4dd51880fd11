import { MockFetchApi } from '@backstage/test-utils';
import { AgentsClient } from './AgentsClient';

const discoveryApi = {
  getBaseUrl: async (pluginId: string) => `http://backend.test/api/${pluginId}`,
};

function clientFor(response: Response) {
  const calls: string[] = [];
  const inits: (RequestInit | undefined)[] = [];
  const fetchApi = new MockFetchApi({
    baseImplementation: async (input: any, init?: RequestInit) => {
      calls.push(String(input));
      inits.push(init);
      return response;
    },
  });
  return { client: new AgentsClient({ discoveryApi, fetchApi }), calls, inits };
}

const json = (body: unknown) =>
  new Response(JSON.stringify(body), {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });

describe('AgentsClient', () => {
  it('reads the health of the agents backend', async () => {
    const health = {
      status: 'ok',
      version: '1.2.3',
      storage: { dialect: 'sqlite' },
    };
    const { client, calls } = clientFor(
      new Response(JSON.stringify(health), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      }),
    );

    await expect(client.getHealth()).resolves.toEqual(health);
    expect(calls).toEqual(['http://backend.test/api/agents/health']);
  });

  it('throws a ResponseError carrying the backend error', async () => {
    const { client } = clientFor(
      new Response(
        JSON.stringify({
          error: { name: 'Error', message: 'database is down' },
          request: { method: 'GET', url: '/api/agents/health' },
          response: { statusCode: 503 },
        }),
        {
          status: 503,
          statusText: 'Service Unavailable',
          headers: { 'content-type': 'application/json' },
        },
      ),
    );

    await expect(client.getHealth()).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 503,
      body: { error: { message: 'database is down' } },
    });
  });

  it('lists a kind in one org through the Kubernetes-style route', async () => {
    const { client, calls } = clientFor(
      json({ items: [], metadata: { resourceVersion: '1' } }),
    );
    await client.listResources('agentstacks', {
      namespace: 'acme',
      limit: 500,
    });
    expect(calls).toEqual([
      'http://backend.test/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/agentstacks?limit=500',
    ]);
  });

  it('applies documents as a JSON List, with dryRun=All for previews', async () => {
    const { client, calls, inits } = clientFor(
      json({ dryRun: true, items: [] }),
    );
    const doc = {
      apiVersion: 'agents.krate.dev/v1alpha1',
      kind: 'AgentStack',
      metadata: { name: 'a', namespace: 'acme' },
      spec: { runtime: 'scripted' },
    };
    await client.apply([doc], { dryRun: true });
    expect(calls).toEqual(['http://backend.test/api/agents/apply?dryRun=All']);
    expect(inits[0]?.method).toBe('POST');
    expect(JSON.parse(String(inits[0]?.body))).toEqual({
      kind: 'List',
      items: [doc],
    });
  });
});
