import { AgentLaunch } from '@krate/plugin-agents-node';
import { testLaunch } from '../../../__testUtils__/cliTestKit';
import { codexArgs, codexConfigToml } from './codexConfig';

const STDIO_TOKEN = 'stdio-canary-"0a1b';
const HTTP_TOKEN = 'Bearer http-canary-2c3d';
const provider = { baseUrl: 'http://127.0.0.1:9/v1' };

function launch(): AgentLaunch {
  return {
    ...testLaunch(
      { workingDirectory: '/work' },
      {
        mcpServers: [
          {
            name: 'vault',
            spec: {
              transport: 'stdio',
              command: 'vault-mcp',
              args: ['--stdio'],
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
            name: 'docs',
            spec: { transport: 'http', url: 'https://docs.example/mcp' },
          },
          {
            name: 'events',
            spec: { transport: 'sse', url: 'https://events.example/sse' },
          },
          {
            name: 'wiki',
            spec: {
              transport: 'stdio',
              command: 'wiki-mcp',
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
      environment: {},
      values: [STDIO_TOKEN, HTTP_TOKEN],
    },
  };
}

function tableOf(toml: string, heading: string): string[] {
  const lines = toml.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) return [];
  const end = lines.findIndex((line, i) => i > start && line.startsWith('['));
  return lines.slice(start + 1, end < 0 ? undefined : end).filter(Boolean);
}

describe('codexConfigToml', () => {
  it('gives a stdio server its values as env and an http server as http_headers', () => {
    const toml = codexConfigToml(launch(), provider, undefined, []);

    expect(tableOf(toml, '[mcp_servers."vault"]')).toEqual([
      'command = "vault-mcp"',
      'args = ["--stdio"]',
      'default_tools_approval_mode = "approve"',
      'env = { "VAULT_TOKEN" = "stdio-canary-\\"0a1b" }',
    ]);
    expect(tableOf(toml, '[mcp_servers."tickets"]')).toEqual([
      'url = "https://tickets.example/mcp"',
      'default_tools_approval_mode = "approve"',
      'http_headers = { "Authorization" = "Bearer http-canary-2c3d" }',
    ]);
    expect(tableOf(toml, '[mcp_servers."docs"]')).toEqual([
      'url = "https://docs.example/mcp"',
      'default_tools_approval_mode = "approve"',
    ]);
  });

  it('leaves out what Codex cannot mount, saying why without a value', () => {
    const warnings: string[] = [];
    const toml = codexConfigToml(launch(), provider, undefined, warnings);

    expect(toml).not.toContain('wiki');
    expect(toml).not.toContain('events');
    expect(warnings).toEqual([
      'MCP server events uses sse, which Codex does not support; it is left out',
      'MCP server wiki is left out: Secret wiki key password (as password) was not granted to this attempt',
    ]);
  });

  it('keeps values off the command line', () => {
    expect(codexArgs({ kind: 'new' }).join(' ')).not.toContain('canary');
  });
});
