import { AgentRuntime } from '@krate/plugin-agents-node';
import { RecordingHost } from '../../__testUtils__/recordingHost';
import { scriptedLaunch } from '../../__testUtils__/scriptedTestKit';
import { PodAttemptRunner } from './PodAttemptRunner';
import { PodPlacedRuntime } from './PodPlacedRuntime';
import { testPool } from './__testUtils__/podTestKit';

function setup(inner: Partial<AgentRuntime['capabilities']> = {}) {
  const runtime: AgentRuntime = {
    id: 'cli',
    displayName: 'A CLI',
    capabilities: {
      subagents: false,
      mcp: false,
      resume: true,
      approvals: 'enforced',
      ...inner,
    },
    run: jest.fn(async () => ({
      phase: 'Succeeded' as const,
      reason: 'Completed',
    })),
  };
  const runner = {
    start: jest.fn(async () => ({
      phase: 'Succeeded' as const,
      reason: 'InPod',
    })),
    reattach: jest.fn(async () => ({
      phase: 'Succeeded' as const,
      reason: 'Reattached',
    })),
  };
  const pool = testPool('/runs');
  const placed = new PodPlacedRuntime(
    runtime,
    new Map([[pool.name, pool]]),
    runner as unknown as PodAttemptRunner,
  );
  return { runtime, runner, placed, pool };
}

const reattach = (runtimeRunId: string) => ({
  runtimeRunId,
  lastRuntimeSeq: 4,
  pendingApprovals: [],
});

describe('PodPlacedRuntime', () => {
  it('keeps the runtime as it is but for re-attaching', () => {
    const { placed } = setup();
    expect(placed.id).toBe('cli');
    expect(placed.capabilities).toEqual({
      subagents: false,
      mcp: false,
      resume: true,
      approvals: 'enforced',
      reattach: true,
    });
  });

  it('runs attempts of stacks without a configured pool on the runtime itself', async () => {
    const { placed, runtime, runner } = setup();
    const host = new RecordingHost();
    for (const runnerPolicy of [undefined, { pool: 'unknown' }]) {
      const launch = scriptedLaunch('/runs/x', undefined, {
        profile: { runnerPolicy },
      });
      await expect(placed.run(launch, host)).resolves.toMatchObject({
        reason: 'Completed',
      });
    }
    expect(runtime.run).toHaveBeenCalledTimes(2);
    expect(runner.start).not.toHaveBeenCalled();
  });

  it('starts pool attempts in a pod and re-attaches to the pod they are bound to', async () => {
    const { placed, runtime, runner, pool } = setup();
    const host = new RecordingHost();
    const launch = scriptedLaunch('/runs/x', undefined, {
      profile: { runnerPolicy: { pool: 'linux' } },
    });
    await placed.run(launch, host);
    expect(runner.start).toHaveBeenCalledWith('cli', launch, host, pool);
    const recovered = {
      ...launch,
      reattach: reattach('pod/runners/krate-a-1'),
    };
    await placed.run(recovered, host);
    expect(runner.reattach).toHaveBeenCalledWith(
      recovered,
      host,
      { namespace: 'runners', name: 'krate-a-1' },
      pool,
    );
    expect(runtime.run).not.toHaveBeenCalled();
  });

  it('answers RuntimeLost for a recovered local attempt of a runtime that cannot re-attach', async () => {
    const { placed, runtime } = setup();
    const launch = scriptedLaunch('/runs/x', undefined, {
      reattach: reattach('cli-run-1'),
    });
    await expect(
      placed.run(launch, new RecordingHost()),
    ).resolves.toMatchObject({
      phase: 'Failed',
      reason: 'RuntimeLost',
    });
    expect(runtime.run).not.toHaveBeenCalled();
  });

  it('re-attaches a recovered local attempt of a runtime that can on the runtime itself', async () => {
    const { placed, runtime } = setup({ reattach: true });
    const launch = scriptedLaunch('/runs/x', undefined, {
      reattach: reattach('mux-1'),
    });
    await placed.run(launch, new RecordingHost());
    expect(runtime.run).toHaveBeenCalledWith(launch, expect.anything());
  });
});
