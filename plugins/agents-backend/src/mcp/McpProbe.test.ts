import fs from 'node:fs/promises';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  McpServerDouble,
  mcpServerObject,
  startMcpServerDouble,
  STDIO_DOUBLE_TOKEN_ENV,
  stdioDoubleCommand,
} from '../__testUtils__/mcp';
import { until } from '../__testUtils__/until';
import { McpProbe } from './McpProbe';
import { McpServerSecrets } from './McpServerSecrets';

jest.setTimeout(30_000);

const TOKEN = 'mcp-token-5f3a9c1e7b2d4068';
const TOOLS = [
  { name: 'search_issues', description: 'Searches issues' },
  { name: 'create_issue', description: 'Opens an issue' },
  { name: 'list_labels' },
];

/** Grants `values` to every server, the way the secret resolver answers. */
const granting = (values: Record<string, string>): McpServerSecrets => ({
  forMcpServer: async () => values,
});

const bearer = granting({ Authorization: `Bearer ${TOKEN}` });
const tokenRef = { name: 'github-mcp', key: 'token', env: 'Authorization' };

describe('McpProbe', () => {
  const doubles: McpServerDouble[] = [];
  const start = async (options: Parameters<typeof startMcpServerDouble>[0]) => {
    const double = await startMcpServerDouble(options);
    doubles.push(double);
    return double;
  };
  afterEach(async () => {
    await Promise.all(doubles.splice(0).map(d => d.stop()));
  });

  describe('over streamable HTTP', () => {
    it('is Healthy with the tools when the granted token is sent', async () => {
      const double = await start({ token: TOKEN, tools: TOOLS });
      const result = await new McpProbe({ secrets: bearer }).probe(
        mcpServerObject('github', {
          transport: 'http',
          url: double.url,
          secretRefs: [tokenRef],
        }),
      );
      expect(result).toMatchObject({
        health: 'Healthy',
        reason: 'Healthy',
        message:
          'krate-mcp-double 1.0.0 answered initialize and listed 3 tools',
        tools: TOOLS,
      });
      expect(double.requests.length).toBeGreaterThan(0);
      expect(double.requests.every(r => r.authorized)).toBe(true);
    });

    it('is Unreachable, Unauthorized, without the token, and names the ungranted ref', async () => {
      const double = await start({ token: TOKEN, tools: TOOLS });
      const result = await new McpProbe({ secrets: granting({}) }).probe(
        mcpServerObject('github', {
          transport: 'http',
          url: double.url,
          secretRefs: [tokenRef],
        }),
      );
      expect(result).toMatchObject({
        health: 'Unreachable',
        reason: 'Unauthorized',
        tools: [],
      });
      expect(result.message).toBe(
        `${double.url} answered 401 Unauthorized: its credentials are missing or rejected (check spec.secretRefs and their grants). Not granted to it: Authorization from Secret github-mcp key token`,
      );
    });

    it('never puts a granted value into its message, even when the server echoes it', async () => {
      const double = await start({
        token: TOKEN,
        tools: TOOLS,
        rejectStatus: 403,
        echoHeadersOnReject: true,
      });
      // Short and shapeless: only knowing the granted values can catch it.
      const key = 'k3y-v4lue';
      const result = await new McpProbe({
        secrets: granting({ 'X-Api-Key': key }),
      }).probe(
        mcpServerObject('github', {
          transport: 'http',
          url: double.url,
          secretRefs: [{ name: 'github-mcp', key: 'key', env: 'X-Api-Key' }],
        }),
      );
      expect(result).toMatchObject({
        health: 'Unreachable',
        reason: 'Forbidden',
      });
      expect(result.message).toContain('"x-api-key":"[REDACTED]"');
      expect(JSON.stringify(result)).not.toContain(key);
    });

    it('follows tools/list pages to the end', async () => {
      const many = Array.from({ length: 7 }, (_, i) => ({ name: `tool_${i}` }));
      const double = await start({ token: TOKEN, tools: many, pageSize: 3 });
      const result = await new McpProbe({ secrets: bearer }).probe(
        mcpServerObject('paged', {
          transport: 'http',
          url: double.url,
          secretRefs: [tokenRef],
        }),
      );
      expect(result.health).toBe('Healthy');
      expect(result.tools.map(t => t.name)).toEqual(many.map(t => t.name));
    });

    it('is Degraded with the tools listed so far when the server dies mid-session', async () => {
      const many = Array.from({ length: 7 }, (_, i) => ({ name: `tool_${i}` }));
      const double = await start({
        token: TOKEN,
        tools: many,
        pageSize: 3,
        dieOnToolsListPage: 1,
      });
      const result = await new McpProbe({ secrets: bearer }).probe(
        mcpServerObject('dying', {
          transport: 'http',
          url: double.url,
          secretRefs: [tokenRef],
        }),
      );
      expect(result).toMatchObject({
        health: 'Degraded',
        reason: 'ToolListIncomplete',
        tools: many.slice(0, 3),
      });
      expect(result.message).toMatch(
        /^krate-mcp-double 1\.0\.0 answered initialize, but tools\/list broke off at page 2 \(.+\); 3 tools were listed before$/,
      );
    });

    it('is Degraded, ToolListFailed, when the first tools/list dies', async () => {
      const double = await start({
        token: TOKEN,
        tools: TOOLS,
        dieOnToolsListPage: 0,
      });
      const result = await new McpProbe({ secrets: bearer }).probe(
        mcpServerObject('dying', {
          transport: 'http',
          url: double.url,
          secretRefs: [tokenRef],
        }),
      );
      expect(result).toMatchObject({
        health: 'Degraded',
        reason: 'ToolListFailed',
        tools: [],
      });
    });

    it('is Unreachable, Timeout, when the server does not answer in time', async () => {
      const double = await start({
        token: TOKEN,
        tools: TOOLS,
        answerDelayMs: 10_000,
      });
      const started = Date.now();
      const result = await new McpProbe({
        secrets: bearer,
        timeoutMs: 500,
      }).probe(
        mcpServerObject('slow', {
          transport: 'http',
          url: double.url,
          secretRefs: [tokenRef],
        }),
      );
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(result).toMatchObject({
        health: 'Unreachable',
        reason: 'Timeout',
        message: `${double.url} did not complete initialize: no answer within 500 ms`,
      });
    });

    it('is Unreachable, ConnectionRefused, when nothing listens', async () => {
      const url = await closedPortUrl();
      const result = await new McpProbe().probe(
        mcpServerObject('gone', { transport: 'http', url }),
      );
      expect(result).toMatchObject({
        health: 'Unreachable',
        reason: 'ConnectionRefused',
        message: `connection refused at ${url}`,
      });
    });
  });

  describe('over SSE', () => {
    it('is Healthy with the token and Unreachable without it', async () => {
      const double = await start({ token: TOKEN, tools: TOOLS });
      const server = mcpServerObject('legacy', {
        transport: 'sse',
        url: double.sseUrl,
        secretRefs: [tokenRef],
      });
      const ok = await new McpProbe({ secrets: bearer }).probe(server);
      expect(ok).toMatchObject({ health: 'Healthy', tools: TOOLS });
      const denied = await new McpProbe({ secrets: granting({}) }).probe(
        server,
      );
      expect(denied).toMatchObject({
        health: 'Unreachable',
        reason: 'Unauthorized',
      });
    });
  });

  describe('over stdio', () => {
    const envRef = {
      name: 'github-mcp',
      key: 'token',
      env: STDIO_DOUBLE_TOKEN_ENV,
    };

    it('is Healthy when the granted token is in its environment', async () => {
      const result = await new McpProbe({
        secrets: granting({ [STDIO_DOUBLE_TOKEN_ENV]: TOKEN }),
      }).probe(
        mcpServerObject('local', {
          transport: 'stdio',
          ...stdioDoubleCommand({ token: TOKEN, tools: TOOLS }),
          secretRefs: [envRef],
        }),
      );
      expect(result).toMatchObject({ health: 'Healthy', tools: TOOLS });
    });

    it('is Unreachable, ProcessExited, with its stderr when the token is missing', async () => {
      const result = await new McpProbe({ secrets: granting({}) }).probe(
        mcpServerObject('local', {
          transport: 'stdio',
          ...stdioDoubleCommand({ token: TOKEN, tools: TOOLS }),
          secretRefs: [envRef],
        }),
      );
      expect(result).toMatchObject({
        health: 'Unreachable',
        reason: 'ProcessExited',
      });
      expect(result.message).toContain(
        'its stderr: MCP_DOUBLE_TOKEN is missing or wrong',
      );
      expect(result.message).toContain(
        'Not granted to it: MCP_DOUBLE_TOKEN from Secret github-mcp key token',
      );
    });

    it('never puts a granted value into its message, even when the process prints it', async () => {
      const wrong = 'wr0ng-t0k';
      const result = await new McpProbe({
        secrets: granting({ [STDIO_DOUBLE_TOKEN_ENV]: wrong }),
      }).probe(
        mcpServerObject('local', {
          transport: 'stdio',
          ...stdioDoubleCommand({ token: TOKEN, echoToken: true }),
          secretRefs: [envRef],
        }),
      );
      expect(result.message).toContain(
        "MCP_DOUBLE_TOKEN is missing or wrong (got '[REDACTED]')",
      );
      expect(JSON.stringify(result)).not.toContain(wrong);
    });

    it('does not pass the backend environment to the process', async () => {
      process.env[STDIO_DOUBLE_TOKEN_ENV] = TOKEN;
      try {
        const result = await new McpProbe().probe(
          mcpServerObject('local', {
            transport: 'stdio',
            ...stdioDoubleCommand({ token: TOKEN, tools: TOOLS }),
          }),
        );
        expect(result.health).toBe('Unreachable');
      } finally {
        delete process.env[STDIO_DOUBLE_TOKEN_ENV];
      }
    });

    it('follows pages, and is Degraded when the process dies mid-listing', async () => {
      const many = Array.from({ length: 5 }, (_, i) => ({ name: `tool_${i}` }));
      const paged = await new McpProbe().probe(
        mcpServerObject('paged', {
          transport: 'stdio',
          ...stdioDoubleCommand({ tools: many, pageSize: 2 }),
        }),
      );
      expect(paged.tools.map(t => t.name)).toEqual(many.map(t => t.name));
      const dying = await new McpProbe().probe(
        mcpServerObject('dying', {
          transport: 'stdio',
          ...stdioDoubleCommand({
            tools: many,
            pageSize: 2,
            exitOnToolsListPage: 2,
          }),
        }),
      );
      expect(dying).toMatchObject({
        health: 'Degraded',
        reason: 'ToolListIncomplete',
        tools: many.slice(0, 4),
      });
    });

    it('is Unreachable, Timeout, when the process never answers, and ends the process', async () => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mcp-probe-'));
      try {
        const pidFile = path.join(dir, 'pid');
        const result = await new McpProbe({ timeoutMs: 1_000 }).probe(
          mcpServerObject('silent', {
            transport: 'stdio',
            ...stdioDoubleCommand({ hang: true, pidFile }),
          }),
        );
        expect(result).toMatchObject({
          health: 'Unreachable',
          reason: 'Timeout',
        });
        const pid = Number(await fs.readFile(pidFile, 'utf8'));
        // Sooner than the SDK's own close would end it (it waits 2 s for a graceful exit).
        await until(
          async () => isRunning(pid),
          running => !running,
          1_000,
        );
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
    });

    it('is Unreachable, CommandNotFound, for a command that does not exist', async () => {
      const result = await new McpProbe().probe(
        mcpServerObject('missing', {
          transport: 'stdio',
          command: 'krate-no-such-mcp-server',
        }),
      );
      expect(result).toMatchObject({
        health: 'Unreachable',
        reason: 'CommandNotFound',
        message: 'command krate-no-such-mcp-server not found',
      });
    });
  });

  it('leaves stdio servers Unknown, starting nothing, when stdio probes are off', async () => {
    const result = await new McpProbe({ stdio: false }).probe(
      mcpServerObject('missing', {
        transport: 'stdio',
        command: 'krate-no-such-mcp-server',
      }),
    );
    expect(result).toMatchObject({
      health: 'Unknown',
      reason: 'ProbeDisabled',
      message:
        'stdio servers are not probed on this backend (agents.mcp.probeStdio is false)',
    });
  });

  it('is Unknown, SecretsUnavailable, when the secrets cannot be resolved', async () => {
    const result = await new McpProbe({
      secrets: {
        forMcpServer: async () => {
          throw new Error('secret source unavailable');
        },
      },
    }).probe(
      mcpServerObject('github', {
        transport: 'http',
        url: 'http://127.0.0.1:9/mcp',
        secretRefs: [tokenRef],
      }),
    );
    expect(result).toMatchObject({
      health: 'Unknown',
      reason: 'SecretsUnavailable',
      message:
        'Its secret values could not be resolved, so it was not probed: secret source unavailable',
    });
  });

  it('is Unreachable, InvalidSpec, for an http server without a url', async () => {
    const result = await new McpProbe().probe(
      mcpServerObject('broken', { transport: 'http' }),
    );
    expect(result).toMatchObject({
      health: 'Unreachable',
      reason: 'InvalidSpec',
      message: 'spec.url is required for http',
    });
  });
});

/** A URL on 127.0.0.1 where nothing listens any more. */
async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return `http://127.0.0.1:${port}/mcp`;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
