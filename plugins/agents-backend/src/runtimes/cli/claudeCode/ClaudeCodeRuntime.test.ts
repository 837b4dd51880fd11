import { mockServices } from '@backstage/backend-test-utils';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { RecordingHost } from '../../../__testUtils__/recordingHost';
import {
  INSTALL_TIMEOUT_MS,
  assertNothingLeftIn,
  processesWith,
  TempDirs,
  testInstaller,
  testLaunch,
} from '../../../__testUtils__/cliTestKit';
import { CliInstaller } from '../CliInstaller';
import { FakeAnthropicApi } from '../../../__testUtils__/modelApis/FakeAnthropicApi';
import { FakeTurn } from '../../../__testUtils__/modelApis/FakeModelServer';
import { claudeCodePackage } from './claudeCodePackage';
import { ClaudeCodeRuntime } from './ClaudeCodeRuntime';

jest.setTimeout(30_000);

const API_KEY = 'sk-ant-test-4b1d3f0c9e';
const MODEL = 'claude-sonnet-4-5';

describe('ClaudeCodeRuntime with the real CLI', () => {
  const temp = new TempDirs();
  const installer = testInstaller();
  let fake: FakeAnthropicApi;
  let attemptParent: string;
  let sessionsDir: string;
  let workdir: string;

  beforeAll(async () => {
    await installer.install(claudeCodePackage());
  }, INSTALL_TIMEOUT_MS);

  beforeEach(() => {
    attemptParent = temp.make('claude-attempts');
    sessionsDir = temp.make('claude-sessions');
    workdir = temp.make('claude-work');
  });

  afterEach(async () => {
    await fake?.close();
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
      apiKey: API_KEY,
      sessionsDir,
      tempDir: attemptParent,
      cancelGraceMs: 2_000,
      logger: mockServices.logger.mock(),
    });
  }

  const writeFile: FakeTurn = {
    thinking: 'The user wants a file.',
    text: 'Writing it now.',
    toolCalls: [
      {
        id: 'toolu_write_1',
        name: 'Bash',
        input: { command: 'echo hi > out.txt', description: 'Write out.txt' },
      },
    ],
  };

  it('is available once installed and reports the version', async () => {
    const runtime = await start([]);
    await expect(runtime.checkAvailability()).resolves.toEqual({
      available: true,
      detail: expect.stringContaining('2.1.331'),
    });
  });

  it('runs a shell tool that really writes a file and reports normalized events', async () => {
    const runtime = await start([
      writeFile,
      { text: 'Done: out.txt holds hi.' },
    ]);
    const host = new RecordingHost();

    const outcome = await runtime.run(
      testLaunch(
        { workingDirectory: workdir },
        { model: MODEL, systemPrompt: 'You are the Krate test agent.' },
      ),
      host,
    );

    expect(outcome).toEqual({ phase: 'Succeeded', reason: 'Completed' });
    expect(readFileSync(path.join(workdir, 'out.txt'), 'utf8')).toBe('hi\n');

    const started = host.ofType('session_started');
    expect(started).toHaveLength(1);
    expect(started[0].sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(host.sessionId).toBe(started[0].sessionId);
    expect(host.ofType('thinking')[0].text).toBe('The user wants a file.');
    expect(host.ofType('tool_call')).toEqual([
      expect.objectContaining({
        toolCallId: 'toolu_write_1',
        toolName: 'Bash',
        input: expect.objectContaining({ command: 'echo hi > out.txt' }),
      }),
    ]);
    expect(host.ofType('shell_start')).toEqual([
      expect.objectContaining({
        command: 'echo hi > out.txt',
        toolCallId: 'toolu_write_1',
      }),
    ]);
    const [result] = host.ofType('tool_result');
    expect(result).toMatchObject({
      toolCallId: 'toolu_write_1',
      toolName: 'Bash',
    });
    expect(result.isError).toBeUndefined();
    expect(host.ofType('shell_exit')).toEqual([
      expect.objectContaining({ exitCode: 0, toolCallId: 'toolu_write_1' }),
    ]);
    expect(host.ofType('text').map(e => e.text)).toEqual([
      'Writing it now.',
      'Done: out.txt holds hi.',
    ]);
    const [cost] = host.ofType('cost');
    expect(cost.usd).toBeGreaterThan(0);
    expect(cost).toMatchObject({ inputTokens: 240, outputTokens: 60 });
    expect(host.ofType('session_ended')[0]).toMatchObject({
      sessionId: started[0].sessionId,
    });

    // The hook asked the backend before the tool ran.
    expect(host.requests).toEqual([
      expect.objectContaining({
        actionClass: 'shell',
        target: 'echo hi > out.txt',
        toolName: 'Bash',
        interactionId: 'toolu_write_1',
      }),
    ]);
    const calls = fake.messageRequests;
    expect(calls).toHaveLength(2);
    expect(calls[0].headers['x-api-key']).toBe(API_KEY);
    expect(calls[0].body.model).toBe(MODEL);
    expect(JSON.stringify(calls[0].body.system)).toContain(
      'You are the Krate test agent.',
    );
    const toolResult = calls[1].body.messages
      .flatMap((m: any) => (Array.isArray(m.content) ? m.content : []))
      .find((c: any) => c.type === 'tool_result');
    expect(toolResult).toMatchObject({ tool_use_id: 'toolu_write_1' });
    expect(JSON.stringify(host.events)).not.toContain(API_KEY);
    expect(JSON.stringify(host.logger.info.mock.calls)).not.toContain(API_KEY);
  });

  it('resumes the session on a resume attempt and forks it on a fork', async () => {
    const runtime = await start([
      { text: 'First answer.' },
      { text: 'Second answer.' },
      { text: 'Forked answer.' },
    ]);
    const first = new RecordingHost();
    await runtime.run(
      testLaunch({ workingDirectory: workdir, prompt: 'Say one' }),
      first,
    );
    const sessionId = first.sessionId!;

    const resumed = new RecordingHost();
    const outcome = await runtime.run(
      testLaunch({
        workingDirectory: workdir,
        attempt: 'run-1-a2',
        attemptKind: 'resume',
        sessionId,
        prompt: 'Say two',
      }),
      resumed,
    );

    expect(outcome.phase).toBe('Succeeded');
    expect(resumed.ofType('session_started')).toEqual([
      { type: 'session_started', sessionId, resumed: true },
    ]);
    expect(resumed.sessionId).toBe(sessionId);
    const history = JSON.stringify(fake.messageRequests[1].body.messages);
    expect(history).toContain('Say one');
    expect(history).toContain('First answer.');
    expect(history).toContain('Say two');

    const forked = new RecordingHost();
    await runtime.run(
      testLaunch({
        workingDirectory: workdir,
        attempt: 'run-2-a1',
        attemptKind: 'fork',
        sessionId,
        prompt: 'Say three',
      }),
      forked,
    );
    expect(forked.sessionId).toBeDefined();
    expect(forked.sessionId).not.toBe(sessionId);
    expect(JSON.stringify(fake.messageRequests[2].body.messages)).toContain(
      'Second answer.',
    );
  });

  it('fails a resume whose session is not archived', async () => {
    const runtime = await start([]);
    const outcome = await runtime.run(
      testLaunch({
        workingDirectory: workdir,
        attemptKind: 'resume',
        sessionId: '0b7e4a52-1d7c-4d2f-9a51-3f1c2d9e8a77',
      }),
      new RecordingHost(),
    );
    expect(outcome).toMatchObject({
      phase: 'Failed',
      reason: 'SessionNotFound',
    });
    expect(fake.requests).toHaveLength(0);
  });

  it('blocks a tool the policy denies', async () => {
    const runtime = await start([writeFile, { text: 'I was not allowed.' }]);
    const host = new RecordingHost(request =>
      request.actionClass === 'shell'
        ? { decision: 'deny', reason: 'shell commands are not allowed here' }
        : { decision: 'allow', reason: 'test' },
    );

    const outcome = await runtime.run(
      testLaunch({ workingDirectory: workdir }),
      host,
    );

    expect(outcome.phase).toBe('Succeeded');
    expect(existsSync(path.join(workdir, 'out.txt'))).toBe(false);
    expect(host.ofType('policy_decision')).toEqual([
      expect.objectContaining({
        decision: 'deny',
        target: 'echo hi > out.txt',
      }),
    ]);
    const [result] = host.ofType('tool_result');
    expect(result).toMatchObject({
      toolCallId: 'toolu_write_1',
      isError: true,
    });
    expect(String(result.output)).toContain(
      'shell commands are not allowed here',
    );
    expect(host.ofType('shell_exit')).toEqual([]);
  });

  it('holds the tool at a human gate until the approval is decided', async () => {
    const runtime = await start([writeFile, { text: 'Approved and done.' }]);
    const host = new RecordingHost(() => 'human');

    const running = runtime.run(
      testLaunch({ workingDirectory: workdir }),
      host,
    );
    await host.waitFor(e => e.type === 'approval_requested', 20_000);
    await new Promise(resolve => setTimeout(resolve, 500));
    expect(existsSync(path.join(workdir, 'out.txt'))).toBe(false);
    expect(fake.messageRequests).toHaveLength(1);

    host.decideApproval('approval-1', 'allow');
    const outcome = await running;

    expect(outcome.phase).toBe('Succeeded');
    expect(readFileSync(path.join(workdir, 'out.txt'), 'utf8')).toBe('hi\n');
    expect(fake.messageRequests).toHaveLength(2);
  });

  it('cancels a run whose model stalls', async () => {
    const runtime = await start([{ stall: true }]);
    const host = new RecordingHost();

    const running = runtime.run(
      testLaunch({ workingDirectory: workdir }),
      host,
    );
    await fake.waitForRequest(r => r.method === 'POST', 20_000);
    const cancelledAt = Date.now();
    host.cancel();
    const outcome = await running;

    expect(outcome).toMatchObject({ phase: 'Cancelled', reason: 'Cancelled' });
    expect(Date.now() - cancelledAt).toBeLessThan(5_000);
  });

  it('cancels a running tool and leaves no process behind', async () => {
    const marker = `krate-tool-${Date.now()}`;
    const startedFile = path.join(workdir, 'started.txt');
    const script = `require('fs').writeFileSync('started.txt', '${marker}'); setTimeout(() => require('fs').writeFileSync('late.txt', 'x'), 60000)`;
    const runtime = await start([
      {
        toolCalls: [
          {
            id: 'toolu_long_1',
            name: 'Bash',
            input: { command: `${process.execPath} -e "${script}"` },
          },
        ],
      },
    ]);
    const host = new RecordingHost();

    const running = runtime.run(
      testLaunch({ workingDirectory: workdir }),
      host,
    );
    const deadline = Date.now() + 20_000;
    while (!existsSync(startedFile) && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    expect(processesWith(marker).length).toBeGreaterThan(0);
    host.cancel();
    const outcome = await running;

    expect(outcome.phase).toBe('Cancelled');
    expect(processesWith(marker)).toEqual([]);
    expect(existsSync(path.join(workdir, 'late.txt'))).toBe(false);
  });

  it('keeps the model API key out of the agent’s tools', async () => {
    const runtime = await start([
      { toolCalls: [{ name: 'Bash', input: { command: 'env' } }] },
      { text: 'Listed.' },
    ]);
    const host = new RecordingHost();

    await runtime.run(testLaunch({ workingDirectory: workdir }), host);

    const [result] = host.ofType('tool_result');
    expect(String(result.output)).toContain('PATH=');
    expect(String(result.output)).not.toContain(API_KEY);
    const calls = fake.messageRequests;
    expect(calls[0].headers['x-api-key']).toBe(API_KEY);
  });

  it('hands over a prompt larger than a command-line argument may be', async () => {
    const runtime = await start([{ text: 'Read it all.' }]);
    const prompt = `Summarize: ${'lorem ipsum '.repeat(20_000)}-- the end`;

    const outcome = await runtime.run(
      testLaunch({ workingDirectory: workdir, prompt }),
      new RecordingHost(),
    );

    expect(outcome.phase).toBe('Succeeded');
    expect(JSON.stringify(fake.messageRequests[0].body.messages)).toContain(
      '-- the end',
    );
  });

  it('fails the attempt when the model API refuses the request', async () => {
    const runtime = await start([]);
    const host = new RecordingHost();

    const outcome = await runtime.run(
      testLaunch({ workingDirectory: workdir }),
      host,
    );

    expect(outcome).toMatchObject({ phase: 'Failed', reason: 'ModelApiError' });
    expect(outcome.message).toContain('The fake model script is played out');
  });
});

describe('ClaudeCodeRuntime without the CLI', () => {
  const temp = new TempDirs();
  afterAll(() => temp.cleanup());

  it('is unavailable with the install command as the hint', async () => {
    const installer = new CliInstaller({ cacheDir: temp.make('empty-cache') });
    const runtime = new ClaudeCodeRuntime({
      installer,
      sessionsDir: temp.make('sessions'),
      logger: mockServices.logger.mock(),
    });

    const availability = await runtime.checkAvailability();

    expect(availability).toEqual({
      available: false,
      reason: 'Claude Code CLI is not installed',
      hint: expect.stringContaining(
        `npm install --prefix ${installer.installDir(claudeCodePackage())}`,
      ),
    });
    const outcome = await runtime.run(
      testLaunch({ workingDirectory: temp.make('work') }),
      new RecordingHost(),
    );
    expect(outcome).toMatchObject({
      phase: 'Failed',
      reason: 'RuntimeUnavailable',
    });
  });

  it('is unavailable when the configured executable is missing', async () => {
    const runtime = new ClaudeCodeRuntime({
      executable: '/nonexistent/bin/claude',
      sessionsDir: temp.make('sessions'),
      logger: mockServices.logger.mock(),
    });

    await expect(runtime.checkAvailability()).resolves.toMatchObject({
      available: false,
      reason: 'Claude Code CLI is not installed',
      hint: expect.stringContaining('/nonexistent/bin/claude'),
    });
  });
});
