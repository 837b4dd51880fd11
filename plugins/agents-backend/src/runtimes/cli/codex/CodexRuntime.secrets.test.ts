import { mockServices } from '@backstage/backend-test-utils';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
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
  HTTP_TOKEN,
  SKILL_TOKEN,
  CANARIES,
  sha256,
  filesUnder,
  startGrantedMcpServers,
} from '../../../__testUtils__/grantedMcpServers';
import {
  McpServerDouble,
  startMcpServerDouble,
  stdioDoubleCommand,
} from '../../../__testUtils__/mcp';
import { FakeTurn } from '../../../__testUtils__/modelApis/FakeModelServer';
import { FakeOpenAiResponsesApi } from '../../../__testUtils__/modelApis/FakeOpenAiResponsesApi';
import { RecordingHost } from '../../../__testUtils__/recordingHost';
import { until } from '../../../__testUtils__/until';
import { codexPackage } from './codexPackage';
import { CodexRuntime } from './CodexRuntime';

jest.setTimeout(60_000);

/** What Codex may create in /tmp outside TMPDIR: its daemon folder, sandbox mount targets. */
const sharedTmpPaths = [
  `/tmp/codex-daemon-${process.getuid!()}`,
  '/tmp/.git',
  '/tmp/.codex',
  '/tmp/.agents',
];

/** The attempt's config file while a command waited for its decision. */
interface ConfigSnapshot {
  file?: string;
  mode?: number;
  holdsTokens?: boolean;
  processesWithAToken: number[];
}

function snapshotConfig(attemptParent: string): ConfigSnapshot {
  const [attemptDir] = readdirSync(attemptParent);
  const file = attemptDir
    ? path.join(attemptParent, attemptDir, 'codex', 'config.toml')
    : undefined;
  const content = file && existsSync(file) ? readFileSync(file, 'utf8') : '';
  return {
    file,
    mode: content ? statSync(file!).mode & 0o777 : undefined,
    holdsTokens: content.includes(STDIO_TOKEN) && content.includes(HTTP_TOKEN),
    processesWithAToken: CANARIES.flatMap(token => processesWith(token)),
  };
}

/**
 * Codex starts MCP servers while the first turn runs and offers their tools from the next model
 * request on; a command's approval holds the turn until both doubles are past the handshake:
 * the http one has had initialize, initialized and tools/list, the stdio one (found by its
 * token's hash in its arguments) sleeps on its input without using CPU.
 */
async function serversSettled(http: McpServerDouble, stdioMarker?: string) {
  await until(
    async () => http.requests.filter(r => r.authorized && r.method === 'POST'),
    posts => posts.length >= 3,
  );
  if (!stdioMarker) return;
  let lastCpu = '';
  let quiet = 0;
  await until(
    async () => {
      const [pid] = processesWith(stdioMarker);
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const cpu = `${fields[11]}/${fields[12]}`;
        quiet = fields[0] === 'S' && cpu === lastCpu ? quiet + 1 : 0;
        lastCpu = cpu;
      } catch {
        quiet = 0;
      }
      return quiet;
    },
    count => count >= 5,
  );
}

describe('CodexRuntime with granted secrets', () => {
  const temp = new TempDirs();
  const installer = testInstaller();
  const existedBefore = sharedTmpPaths.filter(p => existsSync(p));
  let fake: FakeOpenAiResponsesApi;
  let httpServer: McpServerDouble | undefined;
  let attemptParent: string;
  let workdir: string;

  beforeAll(async () => {
    await installer.install(codexPackage());
  }, INSTALL_TIMEOUT_MS);

  beforeEach(() => {
    attemptParent = temp.make('codex-attempts');
    workdir = temp.make('codex-work');
  });

  afterEach(async () => {
    await fake?.close();
    await httpServer?.stop();
    httpServer = undefined;
    try {
      assertNothingLeftIn(attemptParent);
      const left = sharedTmpPaths.filter(
        p => !existedBefore.includes(p) && existsSync(p),
      );
      if (left.length > 0) {
        throw new Error(`The runtime left ${left.join(', ')} behind`);
      }
    } finally {
      temp.cleanup();
    }
  });

  async function start(turns: FakeTurn[]) {
    fake = await FakeOpenAiResponsesApi.start(turns);
    return new CodexRuntime({
      installer,
      baseUrl: `${fake.url}/v1`,
      apiKey: 'sk-openai-test-7c2e91d4',
      // A model Codex has no metadata for: it then offers MCP tools to the model directly instead
      // of behind its tool search, so the requests show which servers it reached.
      model: 'gpt-4.1',
      requestMaxRetries: 0,
      streamMaxRetries: 0,
      sessionsDir: temp.make('codex-sessions'),
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
            name: 'exec_command',
            input: { cmd: 'printf %s "$DEMO_API_TOKEN" | sha256sum' },
          },
        ],
      },
      { text: 'Done.' },
    ]);
    let snapshot: ConfigSnapshot | undefined;
    const host = new RecordingHost(async request => {
      if (request.actionClass === 'shell') {
        snapshot = snapshotConfig(attemptParent);
        await serversSettled(httpServer!, sha256(STDIO_TOKEN));
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
    const [env] = host.ofType('tool_result');
    expect(env).toMatchObject({ toolName: 'exec_command' });
    expect(String(env.output)).toContain(sha256(SKILL_TOKEN));
    // The stdio double starts only with its token and the http one answers only requests bearing
    // it, so their tools reaching the model shows both got their values.
    const offered = fake.responseRequests.at(-1)!.body.tools as any[];
    expect(offered).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'mcp__vault',
          tools: [expect.objectContaining({ name: 'whoami' })],
        }),
        expect.objectContaining({
          name: 'mcp__tickets',
          tools: [expect.objectContaining({ name: 'ping' })],
        }),
      ]),
    );
    expect(httpServer.requests.length).toBeGreaterThan(0);
    expect(httpServer.requests.every(r => r.authorized)).toBe(true);

    expect(snapshot).toBeDefined();
    expect(snapshot!.processesWithAToken).toEqual([]);
    expect(snapshot!.mode).toBe(0o600);
    expect(snapshot!.holdsTokens).toBe(true);
    expect(existsSync(snapshot!.file!)).toBe(false);

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
    expect(
      host.ofType('warning').filter(w => w.code === 'ProfileNotApplied'),
    ).toEqual([]);
  });

  it('leaves out a server whose secret was not granted, naming the key', async () => {
    httpServer = await startMcpServerDouble({
      token: HTTP_TOKEN,
      tools: [{ name: 'ping' }],
    });
    const runtime = await start([
      { toolCalls: [{ name: 'exec_command', input: { cmd: 'true' } }] },
      { text: 'Nothing to call.' },
    ]);
    const host = new RecordingHost(async () => {
      await serversSettled(httpServer!);
      return { decision: 'allow', reason: 'test' };
    });

    const outcome = await runtime.run(
      {
        ...testLaunch(
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
              {
                name: 'tickets',
                spec: {
                  transport: 'http',
                  url: httpServer.url,
                  secretRefs: [
                    { name: 'tickets', key: 'api-token', env: 'Authorization' },
                  ],
                },
              },
            ],
          },
        ),
        secrets: {
          mcpServers: { tickets: { Authorization: `Bearer ${HTTP_TOKEN}` } },
          environment: {},
          values: [`Bearer ${HTTP_TOKEN}`],
        },
      },
      host,
    );

    expect(outcome.phase).toBe('Succeeded');
    expect(
      host.ofType('warning').filter(w => w.code === 'ProfileNotApplied'),
    ).toEqual([
      {
        type: 'warning',
        code: 'ProfileNotApplied',
        message:
          'MCP server vault is left out: Secret vault-creds key token (as token) was not granted to this attempt',
      },
    ]);
    const offered = (fake.responseRequests.at(-1)!.body.tools as any[]).map(
      tool => tool.name,
    );
    expect(offered).toContain('mcp__tickets');
    expect(offered).not.toContain('mcp__vault');
  });
});
