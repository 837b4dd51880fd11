import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RecordingHost } from '../../__testUtils__/recordingHost';
import {
  scriptedLaunch,
  useTempDir,
} from '../../__testUtils__/scriptedTestKit';
import { ScriptedRuntime } from './ScriptedRuntime';

const runtime = new ScriptedRuntime();
const steps = [
  { say: 'one' },
  { shell: 'echo ran >> effects.txt' },
  { say: 'two' },
];
const reattach = (lastRuntimeSeq: number) => ({
  runtimeRunId: 'scripted-1',
  lastRuntimeSeq,
  pendingApprovals: [],
});

describe('scripted step checkpoints', () => {
  const dir = useTempDir();
  const effects = () => {
    try {
      return readFileSync(path.join(dir(), 'effects.txt'), 'utf8');
    } catch {
      return '';
    }
  };

  it('checkpoints each step, the side effect once authorized, and the end of the script', async () => {
    const host = new RecordingHost();
    const outcome = await runtime.run(scriptedLaunch(dir(), { steps }), host);
    expect(outcome.phase).toBe('Succeeded');
    expect(host.runtimeRunId).toMatch(/^scripted-/);
    // shell 1 started (3) and done (4), script of 3 ended (7); the says need none of their own.
    expect(host.checkpoints).toEqual([3, 4, 7]);
  });

  it('resumes after the last finished step', async () => {
    const host = new RecordingHost();
    const outcome = await runtime.run(
      scriptedLaunch(
        dir(),
        { steps },
        { reattach: reattach(4), sessionId: 's-1' },
      ),
      host,
    );
    expect(outcome.phase).toBe('Succeeded');
    expect(effects()).toBe('');
    expect(host.ofType('text').map(e => e.text)).toEqual(['two']);
    expect(host.ofType('session_started')).toEqual([]);
    expect(host.runtimeRunId).toBeUndefined();
  });

  it('fails a step interrupted after its side effect started, without running it', async () => {
    const host = new RecordingHost();
    const outcome = await runtime.run(
      scriptedLaunch(
        dir(),
        { steps },
        { reattach: reattach(3), sessionId: 's-1' },
      ),
      host,
    );
    expect(outcome).toMatchObject({
      phase: 'Failed',
      reason: 'StepInterrupted',
    });
    expect(outcome.message).toContain('spec.script.steps[1]');
    expect(effects()).toBe('');
    expect(host.requests).toEqual([]);
  });

  it('reports nothing again for a script that had ended', async () => {
    const host = new RecordingHost();
    const outcome = await runtime.run(
      scriptedLaunch(
        dir(),
        { steps },
        { reattach: reattach(7), sessionId: 's-1' },
      ),
      host,
    );
    expect(outcome).toEqual({ phase: 'Succeeded', reason: 'Completed' });
    expect(host.events).toEqual([]);
  });
});
