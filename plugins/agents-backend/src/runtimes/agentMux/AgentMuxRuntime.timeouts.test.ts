import { AgentAttemptOutcome } from '@krate/plugin-agents-node';
import { RecordingHost } from '../../__testUtils__/recordingHost';
import {
  eventually,
  muxLaunch,
  muxRuntime,
} from '../../__testUtils__/agentMux/agentMuxTestKit';
import { AgentMuxTestGateway, Harness } from '../../__testUtils__/agentMux';

jest.setTimeout(15_000);

/** Prints a file_read every 10 ms until the run is stopped or its gateway dies. */
const busyHarness: Harness = async run => {
  run.startSession();
  for (let i = 0; !run.signal.aborted; i++) {
    run.emit({ type: 'file_read', path: `f${i}` });
    await run.sleep(10);
  }
};

describe('AgentMuxRuntime time limits', () => {
  let gateway: AgentMuxTestGateway;

  beforeEach(async () => {
    gateway = await AgentMuxTestGateway.start({ harness: busyHarness });
  });

  afterEach(async () => {
    await gateway.close();
  });

  /** The outcome, or 'still running' when there is none within `ms`; cancels a hung attempt. */
  async function outcomeWithin(
    running: Promise<AgentAttemptOutcome>,
    host: RecordingHost,
    ms: number,
  ): Promise<AgentAttemptOutcome | 'still running'> {
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      running,
      new Promise<'still running'>(resolve => {
        timer = setTimeout(() => resolve('still running'), ms);
      }),
    ]);
    clearTimeout(timer);
    if (outcome === 'still running') {
      host.cancel();
      await running;
    }
    return outcome;
  }

  function postedTimeouts() {
    return gateway.requests
      .filter(r => r.method === 'POST' && r.path === '/api/v1/runs')
      .map(r => (r.body as Record<string, unknown>).timeout);
  }

  it('ends the attempt as RuntimeLost when a restarted gateway keeps its run running without events', async () => {
    const host = new RecordingHost();
    const running = muxRuntime(gateway, { inactivitySeconds: 0.3 }).run(
      muxLaunch(),
      host,
    );
    await eventually(() => host.ofType('file_read').length >= 3);
    const runId = host.runtimeRunId!;

    gateway.restart();
    const outcome = await outcomeWithin(running, host, 4_000);

    const message = `Agent Mux reports run ${runId} as running, but no event came for 0.3 s (agents.runtimes.agentMux.inactivitySeconds); the gateway probably restarted and lost it`;
    expect(outcome).toEqual({
      phase: 'Failed',
      reason: 'RuntimeLost',
      message,
    });
    expect(host.ofType('error')).toEqual([
      expect.objectContaining({
        code: 'RuntimeLost',
        message,
        recoverable: false,
      }),
    ]);
    expect(gateway.run(runId)!.entry.status).toBe('running');
    expect(
      gateway.frames.filter(f => f.type === 'subscribe').length,
    ).toBeGreaterThan(1);
  });

  it('passes the attempt budget to the gateway and fails TimedOut when it is spent', async () => {
    const host = new RecordingHost();
    const started = Date.now();
    const running = muxRuntime(gateway).run(
      muxLaunch({}, { runnerPolicy: { timeoutSeconds: 1 } }),
      host,
    );

    const outcome = await outcomeWithin(running, host, 5_000);

    expect(outcome).toEqual({
      phase: 'Failed',
      reason: 'TimedOut',
      message: expect.stringContaining('ran out of its 1 s budget'),
    });
    expect(Date.now() - started).toBeLessThan(4_000);
    const [timeout] = postedTimeouts();
    expect(timeout).toBeGreaterThan(900);
    expect(timeout).toBeLessThanOrEqual(1_000);
    const { status, exitReason } = gateway.run(host.runtimeRunId!)!.entry;
    expect(status).not.toBe('running');
    expect(['aborted', 'timeout']).toContain(exitReason);
  });

  it('enforces the budget itself when the gateway lost the run', async () => {
    const host = new RecordingHost();
    const running = muxRuntime(gateway, { inactivitySeconds: 60 }).run(
      muxLaunch({}, { runnerPolicy: { timeoutSeconds: 1 } }),
      host,
    );
    await eventually(() => host.ofType('file_read').length >= 3);

    gateway.restart();
    const outcome = await outcomeWithin(running, host, 5_000);

    expect(outcome).toMatchObject({ phase: 'Failed', reason: 'TimedOut' });
    expect(host.ofType('error')).toEqual([
      expect.objectContaining({ code: 'TimedOut' }),
    ]);
  });

  it('passes no timeout without a budget', async () => {
    gateway.useHarness(async run => {
      run.startSession();
      run.text('done');
    });
    await muxRuntime(gateway).run(muxLaunch(), new RecordingHost());
    expect(postedTimeouts()).toEqual([undefined]);
  });
});
