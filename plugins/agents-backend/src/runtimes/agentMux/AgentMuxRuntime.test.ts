import { RecordingHost } from '../../__testUtils__/recordingHost';
import {
  eventually,
  muxLaunch,
  muxRuntime,
  runtimeSeqs,
  ShutdownHost,
} from '../../__testUtils__/agentMux/agentMuxTestKit';
import { AgentMuxTestGateway, HarnessRun } from '../../__testUtils__/agentMux';
import { generateUlid, isUlid } from './ulid';

describe('AgentMuxRuntime against the test gateway', () => {
  let gateway: AgentMuxTestGateway;

  beforeEach(async () => {
    gateway = await AgentMuxTestGateway.start();
  });

  afterEach(async () => {
    await gateway.close();
  });

  function postedRuns() {
    return gateway.requests.filter(
      r => r.method === 'POST' && r.path === '/api/v1/runs',
    );
  }

  function expectNoSecret(host: RecordingHost) {
    const everything = JSON.stringify([
      host.events,
      (host.logger.info as jest.Mock).mock.calls,
      (host.logger.warn as jest.Mock).mock.calls,
      (host.logger.error as jest.Mock).mock.calls,
      (host.logger.debug as jest.Mock).mock.calls,
    ]);
    expect(everything).not.toContain(gateway.token);
  }

  it('runs an attempt end to end and maps every kind of event', async () => {
    gateway.useHarness(async run => {
      run.startSession();
      run.emit({ type: 'thinking_start' });
      run.emit({ type: 'thinking_delta', delta: 'Looking ' });
      run.emit({ type: 'thinking_delta', delta: 'at it' });
      run.emit({ type: 'thinking_stop' });
      run.text('I will run the tests.', 6);
      await run.toolCall({
        toolCallId: 'toolu_1',
        toolName: 'Bash',
        input: { command: 'npm test' },
        output: '1 passing',
        durationMs: 40,
      });
      run.emit({
        type: 'shell_start',
        command: 'npm test',
        cwd: '/srv/work/run-1',
      });
      run.emit({ type: 'shell_stdout_delta', delta: '1 pass' });
      run.emit({ type: 'shell_stdout_delta', delta: 'ing\n' });
      run.emit({ type: 'shell_stderr_delta', delta: 'warn\n' });
      run.emit({ type: 'shell_exit', exitCode: 0, durationMs: 12 });
      run.emit({ type: 'file_read', path: 'src/a.ts' });
      run.emit({ type: 'file_write', path: 'src/a.ts', byteCount: 10 });
      run.emit({ type: 'file_patch', path: 'src/b.ts', diff: '@@ -1 +1 @@' });
      run.emit({
        type: 'mcp_tool_call_start',
        toolCallId: 'm1',
        server: 'docs',
        toolName: 'search',
      });
      run.emit({
        type: 'mcp_tool_result',
        toolCallId: 'm1',
        server: 'docs',
        toolName: 'search',
        output: 'found',
      });
      run.emit({
        type: 'subagent_spawn',
        subagentId: 's1',
        agentName: 'reviewer',
        prompt: 'review',
      });
      run.emit({ type: 'subagent_result', subagentId: 's1', summary: 'fine' });
      run.cost({ totalUsd: 0.01, inputTokens: 100, outputTokens: 20 });
      run.text('All tests pass.', 4);
      run.cost({ totalUsd: 0.025, inputTokens: 250, outputTokens: 60 });
      run.emit({ type: 'step_start', step: 1 });
      run.emit({ type: 'log', line: 'raw harness output' });
      run.emit({ type: 'session_end', turnCount: 2 });
    });
    const host = new RecordingHost();
    const launch = muxLaunch(
      {},
      { model: 'claude-sonnet-4-5', systemPrompt: 'You are the Krate agent.' },
    );

    const outcome = await muxRuntime(gateway).run(launch, host);

    expect(outcome).toEqual({ phase: 'Succeeded', reason: 'Completed' });
    const runId = host.runtimeRunId!;
    expect(isUlid(runId)).toBe(true);
    expect(postedRuns().map(r => r.body)).toEqual([
      {
        runId,
        agent: 'claude',
        prompt: 'Fix the failing test',
        cwd: '/srv/work/run-1',
        approvalMode: 'prompt',
        model: 'claude-sonnet-4-5',
        systemPrompt: 'You are the Krate agent.',
      },
    ]);
    // Subscribed before the run existed, so even the prompt hook came to the runtime.
    const promptHook = gateway.hookRequests.find(
      h => h.hookKind === 'userPromptSubmit',
    )!;
    expect(promptHook.recipients).toHaveLength(1);
    expect(gateway.hookDecisions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          hookRequestId: promptHook.hookRequestId,
          decision: 'allow',
          accepted: true,
        }),
      ]),
    );
    expect(gateway.frames.map(f => f.type)).not.toEqual(
      expect.arrayContaining(['run.start']),
    );

    const started = host.ofType('session_started');
    expect(started).toHaveLength(1);
    expect(host.sessionId).toBe(started[0].sessionId);
    expect(gateway.run(runId)!.entry.sessionId).toBe(host.sessionId);

    expect(host.ofType('text').map(e => e.text)).toEqual([
      'I will run the tests.',
      'All tests pass.',
    ]);
    expect(host.ofType('thinking').map(e => e.text)).toEqual(['Looking at it']);
    expect(host.ofType('tool_call')).toEqual([
      expect.objectContaining({
        toolCallId: 'toolu_1',
        toolName: 'Bash',
        input: { command: 'npm test' },
      }),
    ]);
    expect(host.ofType('tool_result')).toEqual([
      expect.objectContaining({
        toolCallId: 'toolu_1',
        toolName: 'Bash',
        output: '1 passing',
        durationMs: 40,
      }),
    ]);
    expect(host.ofType('shell_start')).toEqual([
      expect.objectContaining({ command: 'npm test', cwd: '/srv/work/run-1' }),
    ]);
    expect(host.ofType('shell_output')).toEqual([
      {
        type: 'shell_output',
        stream: 'stdout',
        text: '1 passing\n',
        runtimeSeq: expect.any(Number),
      },
      {
        type: 'shell_output',
        stream: 'stderr',
        text: 'warn\n',
        runtimeSeq: expect.any(Number),
      },
    ]);
    expect(host.ofType('shell_exit')).toEqual([
      expect.objectContaining({ exitCode: 0, durationMs: 12 }),
    ]);
    expect(host.ofType('file_read')).toEqual([
      expect.objectContaining({ path: 'src/a.ts' }),
    ]);
    expect(host.ofType('file_change')).toEqual([
      expect.objectContaining({
        path: 'src/a.ts',
        change: 'write',
        byteCount: 10,
      }),
      expect.objectContaining({
        path: 'src/b.ts',
        change: 'patch',
        diff: '@@ -1 +1 @@',
      }),
    ]);
    expect(
      host.ofType('mcp_call').map(e => [e.phase, e.server, e.toolName]),
    ).toEqual([
      ['start', 'docs', 'search'],
      ['result', 'docs', 'search'],
    ]);
    expect(host.ofType('subagent_spawn')).toEqual([
      expect.objectContaining({
        subagentId: 's1',
        agentName: 'reviewer',
        prompt: 'review',
      }),
    ]);
    expect(host.ofType('subagent_result')).toEqual([
      expect.objectContaining({ subagentId: 's1', summary: 'fine' }),
    ]);
    const costs = host.ofType('cost');
    expect(costs.map(c => [c.inputTokens, c.outputTokens])).toEqual([
      [100, 20],
      [150, 40],
    ]);
    expect(costs[0].usd).toBeCloseTo(0.01);
    expect(costs[1].usd).toBeCloseTo(0.015);
    expect(host.ofType('runtime_event')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          runtimeType: 'step_start',
          data: { step: 1 },
        }),
      ]),
    );
    expect(JSON.stringify(host.events)).not.toContain('raw harness output');
    expect(host.ofType('session_ended')).toEqual([
      expect.objectContaining({ sessionId: host.sessionId, turnCount: 2 }),
    ]);
    expect(host.requests).toEqual([
      {
        actionClass: 'shell',
        target: 'npm test',
        toolName: 'Bash',
        detail: { command: 'npm test' },
        interactionId: gateway.hookRequests.find(
          h => h.hookKind === 'preToolUse',
        )!.hookRequestId,
      },
    ]);

    const seqs = runtimeSeqs(host);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expectNoSecret(host);
  });

  it('fails with GatewayRejected when the gateway answers a bare 500, pretending nothing', async () => {
    await gateway.close();
    gateway = await AgentMuxTestGateway.start({ maxConcurrentRuns: 1 });
    gateway.useHarness(async run => {
      run.startSession();
      await run.sleep(10_000);
    });
    const busy = new RecordingHost();
    const first = muxRuntime(gateway).run(muxLaunch(), busy);
    await busy.waitFor(e => e.type === 'session_started');

    const host = new RecordingHost();
    const outcome = await muxRuntime(gateway).run(muxLaunch(), host);

    expect(outcome).toEqual({
      phase: 'Failed',
      reason: 'GatewayRejected',
      message: expect.stringContaining('500'),
    });
    expect(outcome.message).toContain('Internal Server Error');
    expect(gateway.run(host.runtimeRunId!)).toBeUndefined();
    expect(host.events).toEqual([]);
    expectNoSecret(host);

    busy.cancel();
    await expect(first).resolves.toMatchObject({ phase: 'Cancelled' });
  });

  it('never sends an empty prompt', async () => {
    const host = new RecordingHost();
    const outcome = await muxRuntime(gateway).run(
      muxLaunch({ prompt: '  \n ' }),
      host,
    );
    expect(outcome).toMatchObject({ phase: 'Failed', reason: 'EmptyPrompt' });
    expect(postedRuns()).toEqual([]);
  });

  it('reports a failed run with its CamelCase exit reason and error', async () => {
    gateway.useHarness(async run => {
      run.startSession();
      throw new Error('segfault in the harness');
    });
    const host = new RecordingHost();
    const outcome = await muxRuntime(gateway).run(muxLaunch(), host);
    expect(outcome).toEqual({
      phase: 'Failed',
      reason: 'Crashed',
      message: 'segfault in the harness (exit 1)',
    });
    expect(host.ofType('error')).toEqual([
      expect.objectContaining({
        code: 'Crash',
        recoverable: false,
        message: expect.stringContaining('segfault'),
      }),
    ]);
  });

  it('stops the gateway run when the attempt is cancelled', async () => {
    gateway.useHarness(async run => {
      run.startSession();
      run.text('working on it');
      await run.sleep(10_000);
      run.text('never said');
    });
    const host = new RecordingHost();
    const running = muxRuntime(gateway).run(muxLaunch(), host);
    await host.waitFor(e => e.type === 'text');

    host.cancel();

    await expect(running).resolves.toEqual({
      phase: 'Cancelled',
      reason: 'Cancelled',
    });
    const runId = host.runtimeRunId!;
    expect(gateway.requests).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          method: 'POST',
          path: `/api/v1/runs/${runId}/stop`,
          status: 200,
        }),
      ]),
    );
    expect(gateway.run(runId)!.entry).toMatchObject({
      status: 'aborted',
      exitReason: 'aborted',
    });
    expect(host.ofType('text').map(e => e.text)).toEqual(['working on it']);
  });

  it('re-attaches after a backend restart from the last runtime seq, without posting again', async () => {
    let release!: () => void;
    const released = new Promise<void>(resolve => {
      release = resolve;
    });
    gateway.useHarness(async (run: HarnessRun) => {
      run.startSession();
      for (let i = 0; i < 5; i++) {
        run.emit({ type: 'file_read', path: `before-${i}` });
      }
      await released;
      for (let i = 0; i < 5; i++) {
        run.emit({ type: 'file_read', path: `after-${i}` });
      }
    });
    const before = new ShutdownHost();
    const firstAttempt = muxRuntime(gateway).run(muxLaunch(), before);
    await eventually(() => before.ofType('file_read').length === 5);
    before.shutdown();
    await expect(firstAttempt).resolves.toMatchObject({ reason: 'Detached' });
    const runId = before.runtimeRunId!;
    expect(gateway.run(runId)!.active).toBe(true);
    expect(gateway.requests.some(r => r.path.endsWith('/stop'))).toBe(false);

    release();
    await gateway.run(runId)!.finished;
    const after = new RecordingHost();
    const outcome = await muxRuntime(gateway).run(
      muxLaunch({
        reattach: {
          runtimeRunId: runId,
          lastRuntimeSeq: Math.max(...runtimeSeqs(before)),
          pendingApprovals: [],
        },
      }),
      after,
    );

    expect(outcome).toEqual({ phase: 'Succeeded', reason: 'Completed' });
    expect(after.ofType('file_read').map(e => e.path)).toEqual([
      'after-0',
      'after-1',
      'after-2',
      'after-3',
      'after-4',
    ]);
    expect(after.ofType('session_started')).toEqual([]);
    expect(Math.min(...runtimeSeqs(after))).toBeGreaterThan(
      Math.max(...runtimeSeqs(before)),
    );
    expect(postedRuns()).toHaveLength(1);
  });

  it('fails a re-attach to a run the gateway does not know with RuntimeLost', async () => {
    const host = new RecordingHost();
    const unknown = await muxRuntime(gateway).run(
      muxLaunch({
        reattach: {
          runtimeRunId: generateUlid(),
          lastRuntimeSeq: 3,
          pendingApprovals: [],
        },
      }),
      host,
    );
    expect(unknown).toMatchObject({ phase: 'Failed', reason: 'RuntimeLost' });

    const invalid = await muxRuntime(gateway).run(
      muxLaunch({
        reattach: {
          runtimeRunId: '../escape-test',
          lastRuntimeSeq: 3,
          pendingApprovals: [],
        },
      }),
      new RecordingHost(),
    );
    expect(invalid).toMatchObject({ phase: 'Failed', reason: 'RuntimeLost' });
    expect(gateway.requests.some(r => r.path.includes('escape'))).toBe(false);
    expect(gateway.frames).toEqual([]);
  });

  it('only ever sends ULID run ids it generated', async () => {
    const runtime = muxRuntime(gateway);
    for (let i = 0; i < 3; i++) {
      await runtime.run(muxLaunch(), new RecordingHost());
    }
    const ids = postedRuns().map(r => (r.body as any).runId);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
    ids.forEach(id => expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/));
    const subscribed = gateway.frames
      .filter(f => f.type === 'subscribe')
      .map(f => JSON.parse(f.data).runId);
    expect(subscribed.every(isUlid)).toBe(true);
  });

  it('fails with GatewayUnreachable when the gateway is down at start', async () => {
    const url = gateway.url;
    await gateway.close();
    gateway = await AgentMuxTestGateway.start();
    const outcome = await muxRuntime(gateway, { url }).run(
      muxLaunch(),
      new RecordingHost(),
    );
    expect(outcome).toMatchObject({
      phase: 'Failed',
      reason: 'GatewayUnreachable',
    });
  });
});
