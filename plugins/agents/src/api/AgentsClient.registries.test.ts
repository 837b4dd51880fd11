import { MockFetchApi } from '@backstage/test-utils';
import { AgentsClient } from './AgentsClient';

const discoveryApi = {
  getBaseUrl: async (pluginId: string) => `http://backend.test/api/${pluginId}`,
};

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

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

describe('AgentsClient tool check and MCP probe', () => {
  it('posts a tool check with the request as the body and answers the verdict', async () => {
    const verdict = {
      verdict: 'deny',
      reason: 'AgentToolProfile/safe denies the command "rm -rf /"',
      policySource: 'AgentToolProfile/safe',
    };
    const { client, calls } = clientFor(json(verdict));
    const request = { namespace: 'acme', profile: 'safe', command: 'rm -rf /' };

    await expect(client.checkTool(request)).resolves.toEqual(verdict);
    expect(calls[0].url).toBe('http://backend.test/api/agents/tools/check');
    expect(calls[0].init?.method).toBe('POST');
    expect(JSON.parse(String(calls[0].init?.body))).toEqual(request);
  });

  it('probes an MCP server in its org and answers the server as probed', async () => {
    const server = {
      kind: 'AgentMcpServer',
      metadata: { name: 'git hub', namespace: 'acme' },
      status: { health: 'Healthy' },
    };
    const { client, calls } = clientFor(json(server));

    await expect(client.probeMcpServer('acme', 'git hub')).resolves.toEqual(
      server,
    );
    expect(calls[0].url).toBe(
      'http://backend.test/api/agents/mcp-servers/git%20hub/probe?namespace=acme',
    );
    expect(calls[0].init?.method).toBe('POST');
  });

  it('keeps the server reason of a refused probe', async () => {
    const { client } = clientFor(
      json(
        {
          error: {
            name: 'NotAllowedError',
            message: 'agents.mcp-server.update',
          },
          response: { statusCode: 403 },
        },
        403,
      ),
    );
    await expect(client.probeMcpServer('acme', 'github')).rejects.toMatchObject(
      {
        statusCode: 403,
        body: { error: { message: 'agents.mcp-server.update' } },
      },
    );
  });
});
