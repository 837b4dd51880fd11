import { mockServices } from '@backstage/backend-test-utils';
import { existsSync, readFileSync, statSync } from 'node:fs';
import {
  INSTALL_TIMEOUT_MS,
  assertNothingLeftIn,
  processesWith,
  TempDirs,
  testInstaller,
  testLaunch,
} from '../../../__testUtils__/cliTestKit';
import {
  STDIO_TOKEN,
  SKILL_TOKEN,
  CANARIES,
  sha256,
  filesUnder,
  startGrantedMcpServers,
} from '../../../__testUtils__/grantedMcpServers';
import {
  McpServerDouble,
  stdioDoubleCommand,
} from '../../../__testUtils__/mcp';
import { FakeAnthropicApi } from '../../../__testUtils__/modelApis/FakeAnthropicApi';
import { FakeTurn } from '../../../__testUtils__/modelApis/FakeModelServer';
import { RecordingHost } from '../../../__testUtils__/recordingHost';
import { claudeCodePackage } from './claudeCodePackage';
import { ClaudeCodeRuntime } from './ClaudeCodeRuntime';

jest.setTimeout(60_000);

/** What the CLI's process looked like while a tool waited for its decision. */
interface CliSnapshot {
  argv: string[];
  mcpConfigFile?: string;
  mode?: number;
  fileHoldsToken?: boolean;
  processesWithAToken: number[];
}

/** The CLI is found by its config file, which lies in the suite's own attempt folder. */
function snapshotCli(attemptParent: string): CliSnapshot {
  const [pid] = processesWith(`--mcp-config=${attemptParent}`);
  const argv = pid
    ? readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
    : [];
  const mcpConfigFile = argv
    .find(arg => arg.startsWith('--mcp-config='))
    ?.slice('--mcp-config='.length);
  return {
    argv,
    mcpConfigFile,
    mode: mcpConfigFile ? statSync(mcpConfigFile).mode & 0o777 : undefined,
    fileHoldsToken: mcpConfigFile
      ? readFileSync(mcpConfigFile, 'utf8').includes(STDIO_TOKEN)
      : undefined,
    processesWithAToken: CANARIES.flatMap(token => processesWith(token)),
  };
}

describe('ClaudeCodeRuntime with granted secrets', () => {
  const temp = new TempDirs();
  const installer = testInstaller();
  let fake: FakeAnthropicApi;
  let httpServer: McpServerDouble | undefined;
  let attemptParent: string;
  let workdir: string;

  beforeAll(async () => {
    await installer.install(claudeCodePackage());
  }, INSTALL_TIMEOUT_MS);

  beforeEach(() => {
    attemptParent = temp.make('claude-attempts');
    workdir = temp.make('claude-work');
  });

  afterEach(async () => {
    await fake?.close();
    await httpServer?.stop();
    httpServer = undefined;
    try {
      assertNothingLeftIn(attemptParent);
    } finally {
      temp.cleanup();
    }
  });

  async function start(turns: FakeTurn[]) {
    fake = await FakeAnthropicApi.start(turns);
    return new ClaudeCodeRuntime({
      installer,
      baseUrl: fake.url,
      apiKey: 'sk-ant-test-4b1d3f0c9e',
      sessionsDir: temp.make('claude-sessions'),
      tempDir: attemptParent,
      cancelGraceMs: 2_000,
      logger: mockServices.logger.mock(),
    });
  }

  it('runs a stdio and an http MCP server with their granted values and gives the tools the skill keys, keeping every value off the command line, out of the working directory and out of events', async () => {
    const granted = await startGrantedMcpServers();
    httpServer = granted.httpServer;
    const runtime = await start([
      {
        toolCalls: [
          {
            id: 'toolu_env',
            name: 'Bash',
            input: { command: 'printf %s "$DEMO_API_TOKEN" | sha256sum' },
          },
        ],
      },
      {
        toolCalls: [
          { id: 'toolu_vault', name: 'mcp__vault__whoami', input: {} },
        ],
      },
      {
        toolCalls: [
          { id: 'toolu_tickets', name: 'mcp__tickets__ping', input: {} },
        ],
      },
      { text: 'All three answered.' },
    ]);
    let snapshot: CliSnapshot | undefined;
    const host = new RecordingHost(request => {
      if (request.actionClass === 'shell') {
        snapshot = snapshotCli(attemptParent);
      }
      return { decision: 'allow', reason: 'test' };
    });

    const outcome = await runtime.run(
      {
        ...testLaunch(
          { workingDirectory: workdir },
          {
            mcpServers: granted.mcpServers,
          },
        ),
        secrets: granted.secrets,
      },
      host,
    );

    expect(outcome).toEqual({ phase: 'Succeeded', reason: 'Completed' });
    const results = Object.fromEntries(
      host.ofType('tool_result').map(r => [r.toolCallId, String(r.output)]),
    );
    expect(results.toolu_env).toContain(sha256(SKILL_TOKEN));
    expect(results.toolu_vault).toContain('called whoami');
    expect(results.toolu_tickets).toContain('called ping');
    expect(httpServer.requests.length).toBeGreaterThan(0);
    expect(httpServer.requests.every(r => r.authorized)).toBe(true);

    expect(snapshot).toBeDefined();
    expect(snapshot!.processesWithAToken).toEqual([]);
    expect(snapshot!.argv.join(' ')).not.toMatch(/canary/);
    expect(snapshot!.mcpConfigFile).toBeDefined();
    expect(snapshot!.mcpConfigFile!.startsWith(attemptParent)).toBe(true);
    expect(snapshot!.mode).toBe(0o600);
    expect(snapshot!.fileHoldsToken).toBe(true);
    expect(existsSync(snapshot!.mcpConfigFile!)).toBe(false);

    const stored = JSON.stringify(host.events);
    const logged = JSON.stringify(
      (['error', 'warn', 'info', 'debug'] as const).map(
        level => host.logger[level].mock.calls,
      ),
    );
    for (const token of CANARIES) {
      expect(stored).not.toContain(token);
      expect(logged).not.toContain(token);
      for (const file of filesUnder(workdir)) {
        expect(readFileSync(file, 'utf8')).not.toContain(token);
      }
    }
    expect(host.ofType('warning')).toEqual([]);
  });

  it('leaves out a server whose secret was not granted, naming the key', async () => {
    const runtime = await start([{ text: 'Nothing to call.' }]);
    const host = new RecordingHost();

    const outcome = await runtime.run(
      testLaunch(
        { workingDirectory: workdir },
        {
          mcpServers: [
            {
              name: 'vault',
              spec: {
                transport: 'stdio',
                ...stdioDoubleCommand({ token: STDIO_TOKEN }),
                secretRefs: [{ name: 'vault-creds', key: 'token' }],
              },
            },
          ],
        },
      ),
      host,
    );

    expect(outcome.phase).toBe('Succeeded');
    expect(host.ofType('warning')).toEqual([
      {
        type: 'warning',
        code: 'ProfileNotApplied',
        message:
          'MCP server vault is left out: Secret vault-creds key token (as token) was not granted to this attempt',
      },
    ]);
    const tools = fake.messageRequests[0].body.tools.map((t: any) => t.name);
    expect(tools.some((name: string) => name.startsWith('mcp__'))).toBe(false);
  });
});
