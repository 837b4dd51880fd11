import { MockFetchApi } from '@backstage/test-utils';
import { AgentsClient } from './AgentsClient';

const discoveryApi = {
  getBaseUrl: async (pluginId: string) => `http://backend.test/api/${pluginId}`,
};

interface Call {
  url: string;
  method: string;
  body?: unknown;
}

/** A client whose every request is answered with `status` and `body`, and the calls it made. */
function clientFor(body: unknown = {}, status = 200) {
  const calls: Call[] = [];
  const fetchApi = new MockFetchApi({
    baseImplementation: async (input: any, init?: RequestInit) => {
      calls.push({
        url: String(input),
        method: init?.method ?? 'GET',
        ...(init?.body ? { body: JSON.parse(String(init.body)) } : {}),
      });
      return new Response(JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json' },
      });
    },
  });
  return { client: new AgentsClient({ discoveryApi, fetchApi }), calls };
}

const BASE = 'http://backend.test/api/agents';

describe('AgentsClient identities, secrets and permissions', () => {
  it('reads an org’s secret inventory, permissions and identities overviews', async () => {
    const { client, calls } = clientFor({ items: [], warnings: [] });
    await expect(client.getSecretInventory('acme')).resolves.toEqual({
      items: [],
      warnings: [],
    });
    await client.getPermissionsOverview('acme corp');
    await client.getIdentitiesOverview('acme');
    expect(calls).toEqual([
      { url: `${BASE}/secrets/inventory?namespace=acme`, method: 'GET' },
      {
        url: `${BASE}/permissions/overview?namespace=acme+corp`,
        method: 'GET',
      },
      { url: `${BASE}/identities/overview?namespace=acme`, method: 'GET' },
    ]);
  });

  it('posts a permission review with its request as the body', async () => {
    const review = {
      decision: 'allowed',
      subject: { kind: 'service-account', name: 'agent-bot' },
      stack: 'payments-triage',
      chain: [],
      reasons: [],
      warnings: [],
    };
    const { client, calls } = clientFor(review);
    const request = {
      namespace: 'acme',
      subject: { kind: 'service-account' as const, name: 'agent-bot' },
      stack: 'payments-triage',
      repository: 'acme/payments-api',
    };
    await expect(client.reviewPermission(request)).resolves.toEqual(review);
    expect(calls).toEqual([
      { url: `${BASE}/permissions/review`, method: 'POST', body: request },
    ]);
  });

  it('keeps the field the server names when it refuses a review', async () => {
    const { client } = clientFor(
      {
        error: { name: 'InputError', message: 'subject.kind: must be one of…' },
        response: { statusCode: 400 },
      },
      400,
    );
    await expect(
      client.reviewPermission({
        namespace: 'acme',
        subject: { kind: 'user', name: 'x' },
      }),
    ).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 400,
      body: { error: { message: 'subject.kind: must be one of…' } },
    });
  });
});
