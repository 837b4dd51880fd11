import { muxLaunch } from '../../__testUtils__/agentMux/agentMuxTestKit';
import { agentMuxRunOptions } from './agentMuxRunOptions';

const STDIO_TOKEN = 'stdio-canary-0a1b';
const HTTP_TOKEN = 'Bearer http-canary-2c3d';
const SKILL_TOKEN = 'skill-canary-4e5f';

const launch = {
  ...muxLaunch(
    {},
    {
      mcpServers: [
        {
          name: 'vault',
          spec: {
            transport: 'stdio',
            command: 'vault-mcp',
            secretRefs: [{ name: 'vault', key: 'token', env: 'VAULT_TOKEN' }],
          },
        },
        {
          name: 'tickets',
          spec: {
            transport: 'http',
            url: 'https://tickets.example/mcp',
            secretRefs: [
              { name: 'tickets', key: 'api-token', env: 'Authorization' },
            ],
          },
        },
        {
          name: 'wiki',
          spec: {
            transport: 'sse',
            url: 'https://wiki.example/sse',
            secretRefs: [{ name: 'wiki', key: 'password' }],
          },
        },
      ],
    },
  ),
  secrets: {
    mcpServers: {
      vault: { VAULT_TOKEN: STDIO_TOKEN },
      tickets: { Authorization: HTTP_TOKEN },
    },
    environment: { DEMO_API_TOKEN: SKILL_TOKEN },
    values: [STDIO_TOKEN, HTTP_TOKEN, SKILL_TOKEN],
  },
};

describe('agentMuxRunOptions with granted secrets', () => {
  it('gives MCP servers their values as env or headers and the harness the tool environment', () => {
    const { options } = agentMuxRunOptions(launch, 'claude', 'run-1');

    expect(options.mcpServers).toEqual([
      {
        name: 'vault',
        transport: 'stdio',
        command: 'vault-mcp',
        args: [],
        env: { VAULT_TOKEN: STDIO_TOKEN },
      },
      {
        name: 'tickets',
        transport: 'streamable-http',
        url: 'https://tickets.example/mcp',
        headers: { Authorization: HTTP_TOKEN },
      },
    ]);
    expect(options.env).toEqual({ DEMO_API_TOKEN: SKILL_TOKEN });
  });

  it('leaves out a server whose secret was not granted, naming the key and no value', () => {
    const { warnings } = agentMuxRunOptions(launch, 'claude', 'run-1');

    expect(warnings).toEqual([
      'MCP server wiki is left out: Secret wiki key password (as password) was not granted to this attempt',
    ]);
  });

  it('sends no env and no secret-bearing fields without granted secrets', () => {
    const { options } = agentMuxRunOptions(
      { ...launch, secrets: undefined },
      'claude',
      'run-1',
    );

    expect(options).not.toHaveProperty('env');
    expect(options).not.toHaveProperty('mcpServers');
  });
});
