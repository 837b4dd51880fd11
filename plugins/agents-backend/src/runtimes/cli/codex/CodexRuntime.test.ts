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
import { FakeTurn } from '../../../__testUtils__/modelApis/FakeModelServer';
import { FakeOpenAiResponsesApi } from '../../../__testUtils__/modelApis/FakeOpenAiResponsesApi';
import { codexPackage } from './codexPackage';
import { CodexRuntime } from './CodexRuntime';

jest.setTimeout(30_000);

const API_KEY = 'sk-openai-test-7c2e91d4';
const MODEL = 'gpt-5.5';
/** What Codex may create in /tmp outside TMPDIR: its daemon folder, sandbox mount targets. */
const sharedTmpPaths = [
  `/tmp/codex-daemon-${process.getuid!()}`,
  '/tmp/.git',
  '/tmp/.codex',
  '/tmp/.agents',
];

describe('CodexRuntime with the real CLI', () => {
  const temp = new TempDirs();
  const installer = testInstaller();
  const existedBefore = sharedTmpPaths.filter(p => existsSync(p));
  let fake: FakeOpenAiResponsesApi;
  let attemptParent: string;
  let sessionsDir: string;
  let workdir: string;

  beforeAll(async () => {
    await installer.install(codexPackage());
  }, INSTALL_TIMEOUT_MS);

  beforeEach(() => {
    attemptParent = temp.make('codex-attempts');
    sessionsDir = temp.make('codex-sessions');
    workdir = temp.make('codex-work');
  });

  afterEach(async () => {
    await fake?.close();
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
      apiKey: API_KEY,
      model: MODEL,
      requestMaxRetries: 0,
      streamMaxRetries: 0,
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
        id: 'call_write_1',
        name: 'exec_command',
        input: { cmd: 'echo hi > out.txt' },
      },
    ],
  };

  it('is available once installed and reports the version', async () => {
    const runtime = await start([]);
    await expect(runtime.checkAvailability()).resolves.toEqual({
      available: true,
      detail: expect.stringContaining('0.169.0'),
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
        { systemPrompt: 'You are the Krate test agent.' },
      ),
      host,
    );

    expect(outcome).toEqual({ phase: 'Succeeded', reason: 'Completed' });
    expect(readFileSync(path.join(workdir, 'out.txt'), 'utf8')).toBe('hi\n');

    const started = host.ofType('session_started');
    expect(started).toHaveLength(1);
    expect(host.sessionId).toBe(started[0].sessionId);
    expect(host.ofType('thinking')[0].text).toBe('The user wants a file.');
    const [call] = host.ofType('tool_call');
    expect(call).toMatchObject({
      toolName: 'exec_command',
      input: { command: expect.stringContaining('echo hi > out.txt') },
    });
    expect(host.ofType('shell_start')).toEqual([
      expect.objectContaining({ toolCallId: call.toolCallId }),
    ]);
    expect(host.ofType('shell_exit')).toEqual([
      expect.objectContaining({ exitCode: 0, toolCallId: call.toolCallId }),
    ]);
    const [result] = host.ofType('tool_result');
    expect(result).toMatchObject({ toolCallId: call.toolCallId });
    expect(result.isError).toBeUndefined();
    expect(host.ofType('text').map(e => e.text)).toEqual([
      'Writing it now.',
      'Done: out.txt holds hi.',
    ]);
    expect(host.ofType('cost')).toEqual([
      { type: 'cost', inputTokens: 240, outputTokens: 60 },
    ]);

    expect(host.requests).toEqual([
      expect.objectContaining({
        actionClass: 'shell',
        target: 'echo hi > out.txt',
        toolName: 'Bash',
        interactionId: 'call_write_1',
      }),
    ]);
    const calls = fake.responseRequests;
    expect(calls).toHaveLength(2);
    expect(calls[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(calls[0].body.model).toBe(MODEL);
    expect(JSON.stringify(calls[0].body.input)).toContain(
      'You are the Krate test agent.',
    );
    expect(calls[1].body.input).toContainEqual(
      expect.objectContaining({
        type: 'function_call_output',
        call_id: 'call_write_1',
      }),
    );
    expect(JSON.stringify(host.events)).not.toContain(API_KEY);
  });

  it('reports apply_patch edits as file changes', async () => {
    const patch =
      '*** Begin Patch\n*** Add File: notes.txt\n+hello\n*** End Patch\n';
    const runtime = await start([
      {
        toolCalls: [{ id: 'call_patch_1', name: 'apply_patch', input: patch }],
      },
      { text: 'Patched.' },
    ]);
    const host = new RecordingHost();

    const outcome = await runtime.run(
      testLaunch({ workingDirectory: workdir }),
      host,
    );

    expect(outcome.phase).toBe('Succeeded');
    expect(readFileSync(path.join(workdir, 'notes.txt'), 'utf8')).toBe(
      'hello\n',
    );
    expect(host.ofType('file_change')).toEqual([
      {
        type: 'file_change',
        path: path.join(workdir, 'notes.txt'),
        change: 'create',
      },
    ]);
    expect(host.requests).toEqual([
      expect.objectContaining({
        actionClass: 'tool',
        target: 'notes.txt',
        toolName: 'apply_patch',
      }),
    ]);
  });

  it('resumes the thread, counting only the new usage, and forks it', async () => {
    const runtime = await start([
      { text: 'First answer.' },
      { text: 'Second answer.' },
    ]);
    const first = new RecordingHost();
    await runtime.run(
      testLaunch({ workingDirectory: workdir, prompt: 'Say one' }),
      first,
    );
    const threadId = first.sessionId!;

    const resumed = new RecordingHost();
    const outcome = await runtime.run(
      testLaunch({
        workingDirectory: workdir,
        attempt: 'run-1-a2',
        attemptKind: 'continue',
        sessionId: threadId,
        prompt: 'Say two',
      }),
      resumed,
    );

    expect(outcome.phase).toBe('Succeeded');
    expect(resumed.ofType('session_started')).toEqual([
      { type: 'session_started', sessionId: threadId, resumed: true },
    ]);
    const history = JSON.stringify(fake.responseRequests[1].body.input);
    expect(history).toContain('Say one');
    expect(history).toContain('First answer.');
    expect(history).toContain('Say two');
    expect(resumed.ofType('cost')).toEqual([
      { type: 'cost', inputTokens: 120, outputTokens: 30 },
    ]);

    fake.addTurns({ text: 'Forked answer.' });
    const forked = new RecordingHost();
    await runtime.run(
      testLaunch({
        workingDirectory: workdir,
        attempt: 'run-2-a1',
        attemptKind: 'fork',
        sessionId: threadId,
        prompt: 'Say three',
      }),
      forked,
    );
    expect(forked.sessionId).toBeDefined();
    expect(forked.sessionId).not.toBe(threadId);
    expect(JSON.stringify(fake.responseRequests[2].body.input)).toContain(
      'Second answer.',
    );
  });

  it('blocks a command the policy denies', async () => {
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
    expect(host.ofType('tool_result')).toEqual([
      expect.objectContaining({
        toolCallId: 'call_write_1',
        isError: true,
        output: 'shell commands are not allowed here',
      }),
    ]);
    expect(host.ofType('shell_start')).toEqual([]);
    const output = fake.responseRequests[1].body.input.find(
      (item: any) => item.type === 'function_call_output',
    );
    expect(output.output).toContain('shell commands are not allowed here');
  });

  it('holds the command at a human gate until the approval is decided', async () => {
    const runtime = await start([writeFile, { text: 'Approved and done.' }]);
    const host = new RecordingHost(() => 'human');

    const running = runtime.run(
      testLaunch({ workingDirectory: workdir }),
      host,
    );
    await host.waitFor(e => e.type === 'approval_requested', 20_000);
    await new Promise(resolve => setTimeout(resolve, 500));
    expect(existsSync(path.join(workdir, 'out.txt'))).toBe(false);
    expect(fake.responseRequests).toHaveLength(1);

    host.decideApproval('approval-1', 'allow');
    const outcome = await running;

    expect(outcome.phase).toBe('Succeeded');
    expect(readFileSync(path.join(workdir, 'out.txt'), 'utf8')).toBe('hi\n');
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

  it('cancels a running command and leaves no process behind', async () => {
    const marker = `krate-tool-${Date.now()}`;
    const startedFile = path.join(workdir, 'started.txt');
    const script = `require('fs').writeFileSync('started.txt', '${marker}'); setTimeout(() => require('fs').writeFileSync('late.txt', 'x'), 60000)`;
    const runtime = await start([
      {
        toolCalls: [
          {
            name: 'exec_command',
            input: {
              cmd: `${process.execPath} -e "${script}"`,
              yield_time_ms: 30000,
            },
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
      { toolCalls: [{ name: 'exec_command', input: { cmd: 'env' } }] },
      { text: 'Listed.' },
    ]);
    const host = new RecordingHost();

    await runtime.run(testLaunch({ workingDirectory: workdir }), host);

    const [result] = host.ofType('tool_result');
    expect(String(result.output)).toContain('PATH=');
    expect(String(result.output)).not.toContain(API_KEY);
    const calls = fake.responseRequests;
    expect(calls[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('hands over a prompt larger than a command-line argument may be', async () => {
    const runtime = await start([{ text: 'Read it all.' }]);
    const prompt = `Summarize: ${'lorem ipsum '.repeat(20_000)}-- the end`;

    const outcome = await runtime.run(
      testLaunch({ workingDirectory: workdir, prompt }),
      new RecordingHost(),
    );

    expect(outcome.phase).toBe('Succeeded');
    expect(JSON.stringify(fake.responseRequests[0].body.input)).toContain(
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

    expect(outcome).toMatchObject({ phase: 'Failed', reason: 'TurnFailed' });
    expect(outcome.message).toContain('The fake model script is played out');
  });
});

describe('CodexRuntime without the CLI', () => {
  const temp = new TempDirs();
  afterAll(() => temp.cleanup());

  it('is unavailable with the install command as the hint', async () => {
    const installer = new CliInstaller({ cacheDir: temp.make('empty-cache') });
    const runtime = new CodexRuntime({
      installer,
      sessionsDir: temp.make('sessions'),
      logger: mockServices.logger.mock(),
    });

    await expect(runtime.checkAvailability()).resolves.toEqual({
      available: false,
      reason: 'Codex CLI is not installed',
      hint: expect.stringContaining(
        `npm install --prefix ${installer.installDir(codexPackage())}`,
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
});
