import fs from 'node:fs';
import path from 'node:path';
import { RecordingHost } from '../../__testUtils__/recordingHost';
import { ScriptedRuntime } from './ScriptedRuntime';
import {
  scriptedLaunch,
  useTempDir,
} from '../../__testUtils__/scriptedTestKit';

const runtime = new ScriptedRuntime();

describe('ScriptedRuntime', () => {
  const dir = useTempDir();

  it('declares itself as the scripted runtime', () => {
    expect(runtime.id).toBe('scripted');
    expect(runtime.displayName).toBe('Scripted agent');
    expect(runtime.capabilities).toEqual({
      subagents: true,
      mcp: false,
      resume: true,
      approvals: 'enforced',
      reattach: true,
      startsOverWhenUnbound: true,
    });
  });

  it('opens a session, says and thinks, reports cost and ends the session', async () => {
    const host = new RecordingHost();
    const outcome = await runtime.run(
      scriptedLaunch(
        dir(),
        { steps: [{ think: 'Where is it?' }, { say: 'Found it.' }] },
        { prompt: 'x'.repeat(40) },
      ),
      host,
    );

    expect(outcome).toEqual({ phase: 'Succeeded', reason: 'Completed' });
    const started = host.ofType('session_started')[0];
    expect(started.resumed).toBe(false);
    expect(started.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(host.sessionId).toBe(started.sessionId);
    expect(host.events.map(e => e.type)).toEqual([
      'session_started',
      'thinking',
      'text',
      'cost',
      'session_ended',
    ]);
    expect(host.events[1]).toEqual({ type: 'thinking', text: 'Where is it?' });
    expect(host.events[2]).toEqual({ type: 'text', text: 'Found it.' });
    // 40 prompt characters in, 12 + 9 characters out, at 4 characters a token.
    expect(host.ofType('cost')[0]).toEqual({
      type: 'cost',
      usd: 0,
      inputTokens: 10,
      outputTokens: 6,
    });
    expect(host.ofType('session_ended')[0].sessionId).toBe(started.sessionId);
  });

  it('fails MissingScript when the stack has no script', async () => {
    const host = new RecordingHost();
    const outcome = await runtime.run(scriptedLaunch(dir(), undefined), host);
    expect(outcome.phase).toBe('Failed');
    expect(outcome.reason).toBe('MissingScript');
    expect(host.ofType('error')[0].code).toBe('MissingScript');
    expect(host.sessionId).toBeUndefined();
  });

  it.each([
    [{}, 'spec.script.steps[1] carries no action'],
    [
      { say: 'a', sleepMs: 1 },
      'spec.script.steps[1] carries several actions (say, sleepMs)',
    ],
  ])(
    'fails InvalidScript before running anything when a step carries %j',
    async (bad, message) => {
      const host = new RecordingHost();
      const outcome = await runtime.run(
        scriptedLaunch(dir(), {
          steps: [{ writeFile: { path: 'a.txt', content: 'a' } }, bad],
        }),
        host,
      );
      expect(outcome).toEqual({
        phase: 'Failed',
        reason: 'InvalidScript',
        message,
      });
      expect(host.ofType('error')[0].message).toBe(message);
      expect(fs.existsSync(path.join(dir(), 'a.txt'))).toBe(false);
    },
  );

  it('fails ScriptFailed on a fail step and runs nothing after it', async () => {
    const host = new RecordingHost();
    const outcome = await runtime.run(
      scriptedLaunch(dir(), {
        steps: [{ say: 'before' }, { fail: 'gave up' }, { say: 'after' }],
      }),
      host,
    );
    expect(outcome).toEqual({
      phase: 'Failed',
      reason: 'ScriptFailed',
      message: 'gave up',
    });
    expect(host.ofType('text').map(e => e.text)).toEqual(['before']);
    expect(host.ofType('error')).toEqual([
      { type: 'error', code: 'ScriptFailed', message: 'gave up' },
    ]);
    expect(host.events.at(-1)?.type).toBe('session_ended');
  });

  it('continues a session: same session id, the prompt echoed, then continueSteps', async () => {
    const host = new RecordingHost();
    const outcome = await runtime.run(
      scriptedLaunch(
        dir(),
        { steps: [{ say: 'first turn' }], continueSteps: [{ say: 'On it.' }] },
        {
          attemptKind: 'continue',
          sessionId: 'session-42',
          prompt: 'Also update the changelog',
        },
      ),
      host,
    );
    expect(outcome.phase).toBe('Succeeded');
    expect(host.sessionId).toBe('session-42');
    expect(host.ofType('session_started')).toEqual([
      { type: 'session_started', sessionId: 'session-42', resumed: true },
    ]);
    expect(host.ofType('text').map(e => e.text)).toEqual([
      'Also update the changelog',
      'On it.',
    ]);
  });

  it('resumes the given session and replays the steps; a retry gets a new session', async () => {
    const resumeHost = new RecordingHost();
    await runtime.run(
      scriptedLaunch(
        dir(),
        { steps: [{ say: 'again' }] },
        { attemptKind: 'resume', sessionId: 'session-7' },
      ),
      resumeHost,
    );
    expect(resumeHost.ofType('session_started')[0]).toEqual({
      type: 'session_started',
      sessionId: 'session-7',
      resumed: true,
    });
    expect(resumeHost.ofType('text').map(e => e.text)).toEqual(['again']);

    const retryHost = new RecordingHost();
    await runtime.run(
      scriptedLaunch(
        dir(),
        { steps: [{ say: 'again' }] },
        { attemptKind: 'retry', sessionId: 'session-7' },
      ),
      retryHost,
    );
    const retried = retryHost.ofType('session_started')[0];
    expect(retried.sessionId).not.toBe('session-7');
    expect(retried.resumed).toBe(false);
  });

  it('emits 10,000 text events quickly', async () => {
    const host = new RecordingHost();
    const started = performance.now();
    const outcome = await runtime.run(
      scriptedLaunch(dir(), { steps: [{ emit: { count: 10_000 } }] }),
      host,
    );
    const elapsed = performance.now() - started;
    expect(outcome.phase).toBe('Succeeded');
    const texts = host.ofType('text');
    expect(texts).toHaveLength(10_000);
    expect(texts[0].text).toBe('Event 1 of 10000');
    expect(texts[9_999].text).toBe('Event 10000 of 10000');
    expect(elapsed).toBeLessThan(2_000);
  });

  it('stops a long emit on cancel', async () => {
    const host = new RecordingHost();
    const running = runtime.run(
      scriptedLaunch(dir(), { steps: [{ emit: { count: 1_000_000 } }] }),
      host,
    );
    await host.waitFor(e => e.type === 'text');
    host.cancel();
    expect(await running).toEqual({ phase: 'Cancelled', reason: 'Cancelled' });
    expect(host.ofType('text').length).toBeLessThan(1_000_000);
  });

  it('cancels during a long sleep without emitting anything more', async () => {
    const host = new RecordingHost();
    const started = performance.now();
    const running = runtime.run(
      scriptedLaunch(dir(), {
        steps: [{ say: 'napping' }, { sleepMs: 60_000 }, { say: 'awake' }],
      }),
      host,
    );
    await host.waitFor(e => e.type === 'text');
    const seen = host.events.length;
    host.cancel();
    expect(await running).toEqual({ phase: 'Cancelled', reason: 'Cancelled' });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(host.events).toHaveLength(seen);
  });

  it('fails TimedOut when the runner policy budget runs out', async () => {
    const host = new RecordingHost();
    const outcome = await runtime.run(
      scriptedLaunch(
        dir(),
        { steps: [{ sleepMs: 60_000 }, { say: 'never' }] },
        { profile: { runnerPolicy: { timeoutSeconds: 1 } } },
      ),
      host,
    );
    expect(outcome.phase).toBe('Failed');
    expect(outcome.reason).toBe('TimedOut');
    expect(host.ofType('error')[0].code).toBe('TimedOut');
    expect(host.ofType('text')).toEqual([]);
    expect(host.events.at(-1)?.type).toBe('session_ended');
  });

  it('answers Cancelled at once when the attempt was cancelled before it ran', async () => {
    const host = new RecordingHost();
    host.cancel();
    const outcome = await runtime.run(
      scriptedLaunch(dir(), { steps: [{ say: 'hi' }] }),
      host,
    );
    expect(outcome).toEqual({ phase: 'Cancelled', reason: 'Cancelled' });
    expect(host.events).toEqual([]);
  });
});
