import { RecordingHost } from '../../__testUtils__/recordingHost';
import { ScriptedRuntime } from './ScriptedRuntime';
import {
  scriptedLaunch,
  useTempDir,
} from '../../__testUtils__/scriptedTestKit';

const runtime = new ScriptedRuntime();

describe('ScriptedRuntime approval steps', () => {
  const dir = useTempDir();
  const gate = { approval: { actionClass: 'release', target: 'v1.2.0' } };

  it('asks for the action and goes on once it is allowed', async () => {
    const host = new RecordingHost();
    const outcome = await runtime.run(
      scriptedLaunch(dir(), { steps: [gate, { say: 'released' }] }),
      host,
    );
    expect(outcome.phase).toBe('Succeeded');
    expect(host.requests).toEqual([
      {
        actionClass: 'release',
        target: 'v1.2.0',
        interactionId: 'scripted-step-0',
      },
    ]);
    expect(host.ofType('text').map(e => e.text)).toEqual(['released']);
  });

  it('waits for the human and goes on when approved', async () => {
    const host = new RecordingHost(() => 'human');
    const running = runtime.run(
      scriptedLaunch(dir(), { steps: [gate, { say: 'released' }] }),
      host,
    );
    const requested = (await host.waitFor(
      e => e.type === 'approval_requested',
    )) as { approval: string };
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(host.ofType('text')).toEqual([]);
    host.decideApproval(requested.approval, 'allow');
    expect(await running).toEqual({ phase: 'Succeeded', reason: 'Completed' });
    expect(host.ofType('text').map(e => e.text)).toEqual(['released']);
  });

  it('fails ApprovalRejected with one error event when the human rejects', async () => {
    const host = new RecordingHost(() => 'human');
    const running = runtime.run(
      scriptedLaunch(dir(), { steps: [gate, { say: 'released' }] }),
      host,
    );
    const requested = (await host.waitFor(
      e => e.type === 'approval_requested',
    )) as { approval: string };
    host.decideApproval(requested.approval, 'deny');
    const outcome = await running;
    expect(outcome.phase).toBe('Failed');
    expect(outcome.reason).toBe('ApprovalRejected');
    expect(host.ofType('error')).toEqual([
      {
        type: 'error',
        code: 'ApprovalRejected',
        message: 'release on v1.2.0 was denied: rejected',
        recoverable: false,
      },
    ]);
    expect(host.ofType('text')).toEqual([]);
  });

  it('fails PolicyDenied when policy refuses', async () => {
    const host = new RecordingHost(() => ({
      decision: 'deny',
      reason: 'no releases from agents',
    }));
    const outcome = await runtime.run(
      scriptedLaunch(dir(), { steps: [gate] }),
      host,
    );
    expect(outcome.reason).toBe('PolicyDenied');
    expect(outcome.message).toContain('no releases from agents');
    expect(host.ofType('error')).toEqual([
      {
        type: 'error',
        code: 'PolicyDenied',
        message: 'release on v1.2.0 was denied: no releases from agents',
        recoverable: false,
      },
    ]);
  });

  it('goes on after a rejection when onDenied is continue', async () => {
    const host = new RecordingHost(() => 'human');
    const running = runtime.run(
      scriptedLaunch(dir(), {
        steps: [{ ...gate, onDenied: 'continue' }, { say: 'skipped release' }],
      }),
      host,
    );
    const requested = (await host.waitFor(
      e => e.type === 'approval_requested',
    )) as { approval: string };
    host.decideApproval(requested.approval, 'deny');
    expect((await running).phase).toBe('Succeeded');
    expect(host.ofType('error')[0]).toMatchObject({
      code: 'ApprovalRejected',
      recoverable: true,
    });
    expect(host.ofType('text').map(e => e.text)).toEqual(['skipped release']);
  });
});
