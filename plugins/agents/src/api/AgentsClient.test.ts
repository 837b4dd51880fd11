import { MockFetchApi } from '@backstage/test-utils';
import { AgentsClient } from './AgentsClient';

const discoveryApi = {
  getBaseUrl: async (pluginId: string) => `http://backend.test/api/${pluginId}`,
};

function clientFor(response: Response) {
  const calls: string[] = [];
  const fetchApi = new MockFetchApi({
    baseImplementation: async (input: any) => {
      calls.push(String(input));
      return response;
    },
  });
  return { client: new AgentsClient({ discoveryApi, fetchApi }), calls };
}

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
});
