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

describe('AgentsClient memory updates', () => {
  it('lists an org’s proposals with only the filters that are set', async () => {
    const { client, calls } = clientFor({ items: [], withheld: 0 });
    await client.listMemoryUpdates('acme');
    await client.listMemoryUpdates('acme', {
      phase: 'Proposed,Approved',
      limit: 50,
      continue: 'abc',
    });
    expect(calls.map(c => c.url)).toEqual([
      `${BASE}/memory/updates?org=acme`,
      `${BASE}/memory/updates?org=acme&phase=Proposed%2CApproved&limit=50&continue=abc`,
    ]);
  });

  it('proposes, reads, reviews and merges with the org and name in the path', async () => {
    const { client, calls } = clientFor({ metadata: { name: 'u1' } });
    await client.proposeMemoryUpdate({
      org: 'acme',
      title: 'Ledger runbook',
      changes: [
        { path: 'runbooks/ledger.md', content: '# Ledger\n' },
        { path: 'old.md', content: null },
      ],
    });
    await client.getMemoryUpdate('acme', 'u 1');
    await client.reviewMemoryUpdate('acme', 'u1', {
      decision: 'reject',
      comment: 'wrong owner',
    });
    await client.mergeMemoryUpdate('acme', 'u1');
    expect(calls).toEqual([
      {
        url: `${BASE}/memory/updates`,
        method: 'POST',
        body: {
          org: 'acme',
          title: 'Ledger runbook',
          changes: [
            { path: 'runbooks/ledger.md', content: '# Ledger\n' },
            { path: 'old.md', content: null },
          ],
        },
      },
      { url: `${BASE}/memory/updates/acme/u%201`, method: 'GET' },
      {
        url: `${BASE}/memory/updates/acme/u1/review`,
        method: 'POST',
        body: { decision: 'reject', comment: 'wrong owner' },
      },
      { url: `${BASE}/memory/updates/acme/u1/merge`, method: 'POST', body: {} },
    ]);
  });

  it('previews queries, reads a run’s memory and an entity’s records', async () => {
    const { client, calls } = clientFor({ items: [] });
    await client.previewMemory({
      org: 'acme',
      at: '2026-12-01T10:00:00Z',
      queries: [{ type: 'record', id: 'services/ledger' }],
    });
    await client.getRunMemory('acme', 'run-1');
    await client.listEntityMemoryRecords({
      entityRef: 'component:default/payments-api',
      repository: 'acme/payments-api',
    });
    expect(calls).toEqual([
      {
        url: `${BASE}/memory/preview`,
        method: 'POST',
        body: {
          org: 'acme',
          at: '2026-12-01T10:00:00Z',
          queries: [{ type: 'record', id: 'services/ledger' }],
        },
      },
      { url: `${BASE}/runs/acme/run-1/memory`, method: 'GET' },
      {
        url: `${BASE}/memory/entity-records?entityRef=component%3Adefault%2Fpayments-api&repository=acme%2Fpayments-api`,
        method: 'GET',
      },
    ]);
  });

  it('throws the backend’s refusal with its message', async () => {
    const { client } = clientFor(
      {
        error: {
          name: 'NotAllowedError',
          message: 'you may not approve your own proposal',
        },
        response: { statusCode: 403 },
      },
      403,
    );
    await expect(
      client.reviewMemoryUpdate('acme', 'u1', { decision: 'approve' }),
    ).rejects.toMatchObject({
      statusCode: 403,
      body: { error: { message: 'you may not approve your own proposal' } },
    });
  });
});
