import { RecordingHost } from '../../__testUtils__/recordingHost';
import { formatRunnerLine } from './runnerProtocol';
import { RunnerLineReplay } from './RunnerLineReplay';

const text = (seq: number, value: string) =>
  formatRunnerLine({
    krate: 'v1',
    seq,
    event: { type: 'text', text: value },
  }).trim();

describe('RunnerLineReplay', () => {
  it('emits each event once across reads from the start, with its seq as the runtime seq', async () => {
    const host = new RecordingHost();
    const replay = new RunnerLineReplay(host, { lastSeq: 1 });
    for (const read of [
      [1, 2],
      [1, 2, 3],
    ]) {
      replay.restart();
      read.forEach(seq => replay.line(text(seq, `event ${seq}`)));
    }
    expect(host.events).toEqual([
      { type: 'text', text: 'event 2', runtimeSeq: 2 },
      { type: 'text', text: 'event 3', runtimeSeq: 3 },
    ]);
    await replay.checkpoint();
    await replay.checkpoint();
    expect(host.checkpoints).toEqual([3]);
  });

  it('says which events a gap in the seqs lost', () => {
    const host = new RecordingHost();
    const replay = new RunnerLineReplay(host, { lastSeq: 0 });
    replay.line(text(1, 'a'));
    replay.line(text(4, 'd'));
    expect(host.events[1]).toMatchObject({
      type: 'events_lost',
      count: 2,
      fromSeq: 2,
      toSeq: 3,
    });
    expect(host.events[2]).toMatchObject({
      type: 'text',
      text: 'd',
      runtimeSeq: 4,
    });
  });

  it('binds a new session once, keeps the outcome, and keeps other lines out of the log', async () => {
    const host = new RecordingHost();
    const replay = new RunnerLineReplay(host, { lastSeq: 0, session: 'known' });
    replay.line('{"krate":"v1","session":"known"}');
    expect(host.sessionId).toBeUndefined();
    replay.line('{"krate":"v1","session":"s-2"}');
    replay.line('{"krate":"v1","session":"s-2"}');
    replay.line('npm WARN something');
    replay.line(
      '{"krate":"v1","outcome":{"phase":"Failed","reason":"ScriptFailed","message":"m"}}',
    );
    await replay.checkpoint();
    expect(host.sessionId).toBe('s-2');
    expect(host.events).toEqual([]);
    expect(replay.tail).toEqual(['npm WARN something']);
    expect(replay.outcome).toEqual({
      phase: 'Failed',
      reason: 'ScriptFailed',
      message: 'm',
    });
    replay.restart();
    expect(replay.tail).toEqual([]);
  });

  it('opens the approval a request asks for once per interaction id, never one asked before a restart, and asks again when opening failed', async () => {
    let fail = true;
    const host = new RecordingHost(async () => {
      if (fail) {
        fail = false;
        throw new Error('database down');
      }
      return 'human' as const;
    });
    const ask = (interactionId: string) =>
      formatRunnerLine({
        krate: 'v1',
        approval: { actionClass: 'shell', target: 'make', interactionId },
      }).trim();
    const replay = new RunnerLineReplay(host, {
      lastSeq: 0,
      asked: ['step-0'],
    });
    for (let read = 0; read < 3; read++) {
      replay.restart();
      ['step-0', 'step-1', 'step-1', 'step-2'].forEach(id =>
        replay.line(ask(id)),
      );
      await replay.checkpoint();
    }
    // The first try of step-1 failed; it was asked again on the next read, then never again.
    expect(host.requests.map(r => r.interactionId)).toEqual([
      'step-1',
      'step-2',
      'step-1',
    ]);
    expect(
      host.events.filter(e => e.type === 'approval_requested'),
    ).toHaveLength(2);
  });
});
