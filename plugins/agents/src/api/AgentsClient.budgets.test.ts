import { MockFetchApi } from '@backstage/test-utils';
import { AgentsClient } from './AgentsClient';

const discoveryApi = {
  getBaseUrl: async (pluginId: string) => `http://backend.test/api/${pluginId}`,
};

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

function clientFor(response: Response) {
  const calls: { url: string; init?: RequestInit }[] = [];
  const fetchApi = new MockFetchApi({
    baseImplementation: async (input: any, init?: RequestInit) => {
      calls.push({ url: String(input), init });
      return response;
    },
  });
  return { client: new AgentsClient({ discoveryApi, fetchApi }), calls };
}

describe('AgentsClient budgets and costs', () => {
  it('reads the budgets covering a stack with their spend', async () => {
    const state = { namespace: 'acme', name: 'weekly', exceeded: false };
    const { client, calls } = clientFor(json({ items: [state] }));

    await expect(
      client.getBudgetStates({ namespace: 'acme', stack: 'fix bugs' }),
    ).resolves.toEqual({ items: [state] });
    expect(calls[0].url).toBe(
      'http://backend.test/api/agents/budgets/state?namespace=acme&stack=fix+bugs',
    );
  });

  it('posts an estimate request as the body and answers the verdict', async () => {
    const estimate = {
      estimate: { usd: 0.4, inputTokens: 1, outputTokens: 2, basis: 'none' },
      budgets: [],
      verdict: 'refused',
      reason: 'BudgetExceeded: weekly',
    };
    const { client, calls } = clientFor(json(estimate));
    const request = { namespace: 'acme', stack: 'fixer', prompt: 'Fix it' };

    await expect(client.estimateBudget(request)).resolves.toEqual(estimate);
    expect(calls[0].url).toBe(
      'http://backend.test/api/agents/budgets/estimate',
    );
    expect(calls[0].init?.method).toBe('POST');
    expect(JSON.parse(String(calls[0].init?.body))).toEqual(request);
  });

  it('queries costs grouped and filtered, leaving out what is not set', async () => {
    const costs = { groupBy: 'run', since: 's', until: 'u', items: [] };
    const { client, calls } = clientFor(json(costs));

    await expect(
      client.getCosts({
        namespace: 'acme',
        groupBy: 'run',
        since: '2026-11-07T00:00:00.000Z',
        stack: 'fixer',
        owner: undefined,
        limit: 10,
      }),
    ).resolves.toEqual(costs);
    expect(calls[0].url).toBe(
      'http://backend.test/api/agents/costs?namespace=acme&groupBy=run&since=2026-11-07T00%3A00%3A00.000Z&stack=fixer&limit=10',
    );
  });

  it('keeps the server message of a refused query', async () => {
    const { client } = clientFor(
      json(
        {
          error: { name: 'InputError', message: 'groupBy must be one of …' },
          response: { statusCode: 400 },
        },
        400,
      ),
    );
    await expect(client.getCosts({ groupBy: 'stack' })).rejects.toMatchObject({
      statusCode: 400,
      body: { error: { message: 'groupBy must be one of …' } },
    });
  });
});
