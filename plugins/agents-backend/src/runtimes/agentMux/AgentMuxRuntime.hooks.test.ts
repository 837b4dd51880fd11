import { AgentActionRequest } from '@krate/plugin-agents-node';
import { RecordingHost } from '../../__testUtils__/recordingHost';
import {
  eventually,
  muxLaunch,
  muxRuntime,
} from '../../__testUtils__/agentMux/agentMuxTestKit';
import { AgentMuxTestGateway } from '../../__testUtils__/agentMux';

const HOOK_DEADLINE_MS = 1_500;

describe('AgentMuxRuntime hooks: approvals on a gateway that fails open', () => {
  let gateway: AgentMuxTestGateway;

  beforeEach(async () => {
    gateway = await AgentMuxTestGateway.start({
      hookDecisionTimeoutMs: HOOK_DEADLINE_MS,
      // A CLI takes a moment to boot before its first hook.
      harnessStartDelayMs: 50,
    });
  });

  afterEach(async () => {
    await gateway.close();
  });

  function toolHooks(runId: string) {
    return gateway.hookRequests.filter(
      h => h.runId === runId && h.hookKind === 'preToolUse',
    );
  }

  function decisionsOf(runId: string) {
    return gateway
      .history(runId)
      .filter(e => e.event.type === 'hook_decision')
      .map(
        e =>
          e.event as {
            hookRequestId: string;
            decision: string;
            resolvedBy: string;
          },
      );
  }

  function expectDecidedByRuntime(runId: string) {
    const decisions = decisionsOf(runId);
    expect(decisions.length).toBeGreaterThan(0);
    for (const decision of decisions) {
      expect(['fallback', 'timeout']).not.toContain(decision.resolvedBy);
    }
  }

  it('allows a tool the policy allows, deciding both hook paths once', async () => {
    gateway.useHarness(async run => {
      run.startSession();
      await run.toolCall({
        toolCallId: 'toolu_ls',
        toolName: 'Bash',
        input: { command: 'ls -la' },
        output: 'README.md',
        nativeHook: true,
      });
    });
    const host = new RecordingHost(() => ({
      decision: 'allow',
      reason: 'read-only command',
    }));

    const outcome = await muxRuntime(gateway).run(muxLaunch(), host);

    expect(outcome).toEqual({ phase: 'Succeeded', reason: 'Completed' });
    const runId = host.runtimeRunId!;
    const hooks = toolHooks(runId);
    expect(hooks).toHaveLength(2);
    expect(
      typeof hooks.find(h => 'toolCallId' in h.payload)!.payload.input,
    ).toBe('string');
    expect(host.requests).toEqual([
      expect.objectContaining({
        actionClass: 'shell',
        target: 'ls -la',
        toolName: 'Bash',
        detail: { command: 'ls -la' },
      }),
    ]);
    expect(hooks.map(h => h.hookRequestId)).toContain(
      host.requests[0].interactionId,
    );
    for (const hook of hooks) {
      expect(gateway.hookDecisions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            hookRequestId: hook.hookRequestId,
            decision: 'allow',
            accepted: true,
          }),
        ]),
      );
    }
    expectDecidedByRuntime(runId);
    expect(host.ofType('policy_decision')).toEqual([
      expect.objectContaining({ decision: 'allow', target: 'ls -la' }),
    ]);
    expect(host.ofType('tool_result')).toEqual([
      expect.objectContaining({ toolCallId: 'toolu_ls', output: 'README.md' }),
    ]);
    expect(host.ofType('warning')).toEqual([]);
  });

  it('denies a tool the policy denies, and says so when the agent runs it anyway', async () => {
    gateway.useHarness(async run => {
      run.startSession();
      await run.toolCall({
        toolCallId: 'toolu_w',
        toolName: 'Write',
        input: { file_path: '/etc/hosts', content: 'x' },
        output: 'written',
      });
      run.text('Done.');
    });
    const host = new RecordingHost((request: AgentActionRequest) => ({
      decision: 'deny',
      reason: `${request.target} is outside the workspace`,
    }));

    const outcome = await muxRuntime(gateway).run(muxLaunch(), host);

    expect(outcome).toEqual({ phase: 'Succeeded', reason: 'Completed' });
    const runId = host.runtimeRunId!;
    const [hook] = toolHooks(runId);
    expect(
      gateway.hookDecisions.find(d => d.hookRequestId === hook.hookRequestId),
    ).toMatchObject({
      decision: 'deny',
      reason: '/etc/hosts is outside the workspace',
      accepted: true,
    });
    expectDecidedByRuntime(runId);
    expect(host.requests).toEqual([
      expect.objectContaining({
        actionClass: 'tool',
        target: '/etc/hosts',
        toolName: 'Write',
      }),
    ]);
    expect(host.ofType('tool_result')).toEqual([
      expect.objectContaining({ toolCallId: 'toolu_w', isError: true }),
      expect.objectContaining({ toolCallId: 'toolu_w', output: 'written' }),
    ]);
    expect(host.ofType('warning')).toEqual([
      expect.objectContaining({ code: 'ApprovalNotEnforced' }),
    ]);
  });

  it('denies a tool held for a human at once, then continues the session once approved', async () => {
    gateway.useHarness(async run => {
      run.startSession();
      const { ran } = await run.toolCall({
        toolName: 'Bash',
        input: { command: 'rm -rf build' },
        output: 'removed',
        nativeHook: true,
      });
      run.text(ran ? 'Removed build.' : 'I was not allowed to remove build.');
    });
    const host = new RecordingHost(() => 'human');

    const attempt = muxRuntime(gateway, { hookTimeoutSafetyMs: 500 }).run(
      muxLaunch(),
      host,
    );
    await host.waitFor(e => e.type === 'approval_requested');
    const firstRun = host.runtimeRunId!;
    await gateway.run(firstRun)!.finished;

    // Both hooks of the tool were denied by the runtime, well before the gateway's deadline.
    const hooks = toolHooks(firstRun);
    expect(hooks).toHaveLength(2);
    for (const hook of hooks) {
      const decision = gateway.hookDecisions.find(
        d => d.hookRequestId === hook.hookRequestId,
      )!;
      expect(decision).toMatchObject({ decision: 'deny', accepted: true });
      expect(decision.reason).toContain('approval-1');
      expect(decision.receivedAt).toBeLessThan(hook.deadlineTs - 1_000);
    }
    expectDecidedByRuntime(firstRun);
    expect(
      gateway.history(firstRun).some(e => e.event.type === 'tool_result'),
    ).toBe(false);
    expect(host.requests).toHaveLength(1);
    await host.waitFor(e => e.type === 'text');
    expect(host.ofType('text').map(e => e.text)).toEqual([
      'I was not allowed to remove build.',
    ]);
    expect(gateway.requests.some(r => r.path.includes('/sessions/'))).toBe(
      false,
    );

    host.decideApproval('approval-1', 'allow');
    const outcome = await attempt;

    expect(outcome).toEqual({ phase: 'Succeeded', reason: 'Completed' });
    const sessionId = host.sessionId!;
    const secondRun = host.runtimeRunId!;
    expect(secondRun).not.toBe(firstRun);
    // A resume run with the runtime's own ULID, so it was subscribed before the run started.
    const continuation = gateway.requests.find(
      r =>
        r.method === 'POST' &&
        r.path === '/api/v1/runs' &&
        (r.body as any).runId === secondRun,
    )!;
    expect(continuation.body).toMatchObject({ sessionId });
    expect((continuation.body as any).prompt).toContain('rm -rf build');
    expect((continuation.body as any).prompt).toContain('approved');
    expect(gateway.run(secondRun)!.options.sessionId).toBe(sessionId);
    const retried = toolHooks(secondRun).map(h => h.hookRequestId);
    expect(retried).toHaveLength(2);
    expect(
      decisionsOf(secondRun).filter(d => retried.includes(d.hookRequestId)),
    ).toEqual([
      expect.objectContaining({ decision: 'allow' }),
      expect.objectContaining({ decision: 'allow' }),
    ]);
    const runtimeConnection = decisionsOf(firstRun)[0].resolvedBy;
    decisionsOf(secondRun)
      .filter(d => retried.includes(d.hookRequestId))
      .forEach(d => expect(d.resolvedBy).toBe(runtimeConnection));
    expect(host.requests).toHaveLength(1);
    expect(host.ofType('policy_decision')).toEqual([
      expect.objectContaining({
        decision: 'allow',
        reason: expect.stringContaining('approved by a human'),
      }),
    ]);
    expect(host.ofType('runtime_event')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          runtimeType: 'session_continued',
          data: expect.objectContaining({ runtimeRunId: secondRun }),
        }),
      ]),
    );
    expect(host.ofType('text').map(e => e.text)).toEqual([
      'I was not allowed to remove build.',
      'Removed build.',
    ]);
  });

  it('only records a rejection: no continuation, the run keeps its outcome', async () => {
    gateway.useHarness(async run => {
      run.startSession();
      await run.toolCall({
        toolName: 'Bash',
        input: { command: 'git push' },
        nativeHook: true,
      });
      run.text('Could not push.');
    });
    const host = new RecordingHost(() => 'human');

    const attempt = muxRuntime(gateway).run(muxLaunch(), host);
    await host.waitFor(e => e.type === 'approval_requested');
    await gateway.run(host.runtimeRunId!)!.finished;
    host.decideApproval('approval-1', 'deny');

    await expect(attempt).resolves.toEqual({
      phase: 'Succeeded',
      reason: 'Completed',
    });
    expect(host.ofType('approval_decided')).toEqual([
      expect.objectContaining({ approval: 'approval-1', decision: 'rejected' }),
    ]);
    expect(gateway.requests.some(r => r.path.includes('/sessions/'))).toBe(
      false,
    );
    expect(gateway.runs).toHaveLength(1);
  });

  it('ends Cancelled when cancelled while waiting for a human', async () => {
    gateway.useHarness(async run => {
      run.startSession();
      await run.toolCall({
        toolName: 'Bash',
        input: { command: 'make deploy' },
        nativeHook: true,
      });
    });
    const host = new RecordingHost(() => 'human');
    const attempt = muxRuntime(gateway).run(muxLaunch(), host);
    await host.waitFor(e => e.type === 'approval_requested');
    await gateway.run(host.runtimeRunId!)!.finished;

    host.cancel();

    await expect(attempt).resolves.toEqual({
      phase: 'Cancelled',
      reason: 'Cancelled',
    });
    expect(gateway.requests.some(r => r.path.includes('/sessions/'))).toBe(
      false,
    );
  });

  it('never takes over a run another client started on the session', async () => {
    gateway.useHarness(async run => {
      run.startSession();
      if (run.prompt === 'from another client') {
        await run.sleep(10_000);
        return;
      }
      await run.toolCall({
        toolName: 'Bash',
        input: { command: 'make deploy' },
        nativeHook: true,
      });
    });
    const host = new RecordingHost(() => 'human');
    const attempt = muxRuntime(gateway).run(muxLaunch(), host);
    await host.waitFor(e => e.type === 'approval_requested');
    await gateway.run(host.runtimeRunId!)!.finished;
    await host.waitFor(e => e.type === 'session_started');
    const other = await fetch(
      `${gateway.url}/api/v1/sessions/${host.sessionId}/messages`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${gateway.token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ prompt: 'from another client' }),
      },
    );
    const otherRun = (await other.json()).run.runId;

    host.decideApproval('approval-1', 'allow');

    await expect(attempt).resolves.toEqual({
      phase: 'Succeeded',
      reason: 'Completed',
    });
    expect(host.ofType('warning')).toEqual([
      expect.objectContaining({ code: 'ContinuationDropped' }),
    ]);
    expect(gateway.runs).toHaveLength(2);
    expect(host.runtimeRunId).not.toBe(otherRun);
  });

  it('warns when a hook was allowed by the gateway without the runtime', async () => {
    gateway.useHarness(async run => {
      run.startSession();
      await run.settled();
      gateway.refuseConnections(true);
      gateway.dropSocketsNow();
      await run.toolCall({
        toolName: 'Bash',
        input: { command: 'curl evil.example' },
      });
      await run.settled();
      gateway.refuseConnections(false);
      await run.subscribed();
    });
    const host = new RecordingHost();

    await muxRuntime(gateway).run(muxLaunch(), host);

    expect(host.requests).toEqual([]);
    await eventually(() => host.ofType('warning').length > 0);
    expect(host.ofType('warning')).toEqual([
      expect.objectContaining({
        code: 'HookFailedOpen',
        message: expect.stringContaining('preToolUse'),
      }),
    ]);
  });
});
