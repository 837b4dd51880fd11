import { MockFetchApi } from '@backstage/test-utils';
import { AgentsClient } from './AgentsClient';

const discoveryApi = {
  getBaseUrl: async (pluginId: string) => `http://backend.test/api/${pluginId}`,
};

/** A client whose every request is answered with a fresh copy of `respond()`. */
function clientFor(respond: () => Response) {
  const calls: string[] = [];
  const fetchApi = new MockFetchApi({
    baseImplementation: async (input: any) => {
      calls.push(String(input));
      return respond();
    },
  });
  return { client: new AgentsClient({ discoveryApi, fetchApi }), calls };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

const BASE = 'http://backend.test/api/agents';

describe('AgentsClient memory', () => {
  it('lists the orgs with memory', async () => {
    const { client, calls } = clientFor(() =>
      json({ items: [{ org: 'acme' }] }),
    );
    await expect(client.listMemoryOrgs()).resolves.toEqual({
      items: [{ org: 'acme' }],
    });
    expect(calls).toEqual([`${BASE}/memory/orgs`]);
  });

  it('reads the status of an org’s memory at the head or at a point in time', async () => {
    const { client, calls } = clientFor(() => json({ org: 'acme' }));
    await client.getMemoryStatus('acme');
    await client.getMemoryStatus('acme', { at: '2026-12-01T10:00:00Z' });
    await client.getMemoryStatus('acme', { tag: 'v1' });
    expect(calls).toEqual([
      `${BASE}/memory?org=acme`,
      `${BASE}/memory?org=acme&at=2026-12-01T10%3A00%3A00Z`,
      `${BASE}/memory?org=acme&tag=v1`,
    ]);
  });

  it('searches with only the options that are set, kinds comma-separated', async () => {
    const { client, calls } = clientFor(() => json({ results: [] }));
    await client.searchMemory('acme', { q: 'retry budget' });
    await client.searchMemory(
      'acme',
      {
        q: 'pay.*api',
        regex: true,
        ignoreCase: true,
        path: 'services/',
        kinds: ['service', 'decision'],
        limit: 20,
      },
      { ref: 'main' },
    );
    expect(calls).toEqual([
      `${BASE}/memory/search?org=acme&q=retry+budget`,
      `${BASE}/memory/search?org=acme&q=pay.*api&regex=true&ignoreCase=true&path=services%2F&kind=service%2Cdecision&limit=20&ref=main`,
    ]);
  });

  it('reads the graph, whole or around one record', async () => {
    const { client, calls } = clientFor(() => json({ nodes: [], edges: [] }));
    await client.getMemoryGraph('acme');
    await client.getMemoryGraph(
      'acme',
      { kinds: ['service'], around: 'services/payments-api', depth: 2 },
      { ref: '1a2b3c4' },
    );
    expect(calls).toEqual([
      `${BASE}/memory/graph?org=acme`,
      `${BASE}/memory/graph?org=acme&kind=service&around=services%2Fpayments-api&depth=2&ref=1a2b3c4`,
    ]);
  });

  it('reads one record by its id', async () => {
    const { client, calls } = clientFor(() => json({ record: {} }));
    await client.getMemoryRecord('acme', 'services/payments-api', {
      tag: 'v1',
    });
    expect(calls).toEqual([
      `${BASE}/memory/records?org=acme&id=services%2Fpayments-api&tag=v1`,
    ]);
  });

  it('keeps the field the server names when it refuses a point in time', async () => {
    const { client } = clientFor(() =>
      json(
        {
          error: { name: 'InputError', message: 'at: not an ISO time' },
          request: { method: 'GET', url: '/api/agents/memory' },
          response: { statusCode: 400 },
        },
        400,
      ),
    );
    await expect(
      client.getMemoryStatus('acme', { at: 'yesterday' }),
    ).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 400,
      body: { error: { message: 'at: not an ISO time' } },
    });
  });
});
