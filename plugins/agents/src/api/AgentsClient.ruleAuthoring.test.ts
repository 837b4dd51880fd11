import { MockFetchApi } from '@backstage/test-utils';
import { dryRunResultFixture } from '../__testUtils__/ruleFixtures';
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

describe('AgentsClient rule authoring', () => {
  it("posts a draft rule's dry-run with the rule beside the sample", async () => {
    const result = dryRunResultFixture();
    const { client, calls } = clientFor(json(result));
    const request = {
      rule: {
        apiVersion: 'agents.krate.dev/v1alpha1',
        kind: 'AgentTriggerRule',
        metadata: { name: 'new-rule', namespace: 'acme' },
        spec: { source: { events: ['issue'] }, stack: 'fixer' },
      } as any,
      source: 'issue' as const,
      event: { action: 'opened' },
    };

    await expect(client.dryRunDraftRule('acme', request)).resolves.toEqual(
      result,
    );
    expect(calls[0].url).toBe(
      'http://backend.test/api/agents/rules/dry-run?namespace=acme',
    );
    expect(calls[0].init?.method).toBe('POST');
    expect(JSON.parse(String(calls[0].init?.body))).toEqual(request);
  });

  it("reads a delivery's kept payload in its org", async () => {
    const sample = {
      delivery: 'github 1',
      eventType: 'issues.opened',
      sources: ['issue'],
      event: { action: 'opened' },
    };
    const { client, calls } = clientFor(json(sample));

    await expect(client.getDeliverySample('github 1', 'acme')).resolves.toEqual(
      sample,
    );
    expect(calls[0].url).toBe(
      'http://backend.test/api/agents/deliveries/github%201/payload?namespace=acme',
    );
  });
});
