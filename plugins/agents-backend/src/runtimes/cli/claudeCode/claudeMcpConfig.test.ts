import { AgentLaunch } from '@krate/plugin-agents-node';
import { testLaunch } from '../../../__testUtils__/cliTestKit';
import { claudeCodeArgs } from './claudeCodeArgs';
import { claudeMcpConfig } from './claudeMcpConfig';

const STDIO_TOKEN = 'stdio-canary-0a1b';
const HTTP_TOKEN = 'Bearer http-canary-2c3d';

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

describe('claudeMcpConfig', () => {
  it('gives a stdio server its values as env and an http server as headers', () => {
    const { config } = claudeMcpConfig(launch());

    expect(config).toEqual({
      mcpServers: {
        vault: {
          type: 'stdio',
          command: 'vault-mcp',
          args: ['--stdio'],
          env: { VAULT_TOKEN: STDIO_TOKEN },
        },
        tickets: {
          type: 'http',
          url: 'https://tickets.example/mcp',
          headers: { Authorization: HTTP_TOKEN },
        },
        events: { type: 'sse', url: 'https://events.example/sse' },
      },
    });
  });

  it('leaves out a server whose secret was not granted, naming the key and no value', () => {
    const { config, warnings } = claudeMcpConfig(launch());

    expect(config?.mcpServers).not.toHaveProperty('wiki');
    expect(warnings).toEqual([
      'MCP server wiki is left out: Secret wiki key password (as password) was not granted to this attempt',
    ]);
  });

  it('has no document when no server can be mounted', () => {
    expect(claudeMcpConfig(testLaunch({ workingDirectory: '/work' }))).toEqual({
      config: undefined,
      warnings: [],
    });
  });
});

describe('claudeCodeArgs', () => {
  it('names the MCP config file on the command line, never its contents', () => {
    const args = claudeCodeArgs(
      launch(),
      { hooks: {} },
      { kind: 'new' },
      '/tmp/krate-claude-x/mcp-config.json',
    );

    expect(args).toContain('--mcp-config=/tmp/krate-claude-x/mcp-config.json');
    expect(args).toContain('--strict-mcp-config');
    expect(args.join(' ')).not.toContain('canary');
  });

  it('passes no MCP config without a file', () => {
    const args = claudeCodeArgs(launch(), { hooks: {} }, { kind: 'new' });

    expect(args.some(arg => arg.startsWith('--mcp-config'))).toBe(false);
  });
});
