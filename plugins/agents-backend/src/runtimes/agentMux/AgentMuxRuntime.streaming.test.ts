import { RecordingHost } from '../../__testUtils__/recordingHost';
import {
  muxLaunch,
  muxRuntime,
  runtimeSeqs,
} from './__testUtils__/agentMuxTestKit';
import { AgentMuxTestGateway, AgentMuxTestGatewayOptions } from './testGateway';

describe('AgentMuxRuntime streaming: replay, reconnects and loss', () => {
  let gateway: AgentMuxTestGateway;

  async function start(options: AgentMuxTestGatewayOptions = {}) {
    gateway = await AgentMuxTestGateway.start(options);
  }

  afterEach(async () => {
    await gateway.close();
  });

  function reads(host: RecordingHost) {
    return host.ofType('file_read').map(e => e.path);
  }

  function expectEachSeqOnce(host: RecordingHost) {
    const seqs = runtimeSeqs(host);
    for (let i = 1; i < seqs.length; i++) {
      expect(seqs[i]).toBeGreaterThan(seqs[i - 1]);
    }
  }

  it('catches up on 3000 events through 1024-frame replays and 4008 closes', async () => {
    await start();
    gateway.useHarness(async run => {
      run.startSession();
      await run.settled();
      gateway.refuseConnections(true);
      gateway.dropSocketsNow();
      for (let i = 0; i < 3000; i++) {
        run.emit({ type: 'file_read', path: `f${i}` });
        if (i % 500 === 499) {
          await run.settled();
        }
      }
      await run.settled();
      gateway.refuseConnections(false);
      await run.subscribed();
      run.text('caught up');
    });
    const host = new RecordingHost();

    const outcome = await muxRuntime(gateway).run(muxLaunch(), host);

    expect(outcome).toEqual({ phase: 'Succeeded', reason: 'Completed' });
    expect(reads(host)).toEqual(
      Array.from({ length: 3000 }, (_, i) => `f${i}`),
    );
    expect(host.ofType('text').map(e => e.text)).toEqual(['caught up']);
    expect(
      gateway.serverCloses.filter(c => c.code === 4008).length,
    ).toBeGreaterThanOrEqual(2);
    expect(host.ofType('events_lost')).toEqual([]);
    const since = gateway.frames
      .filter(f => f.type === 'subscribe')
      .map(f => JSON.parse(f.data).sinceSeq);
    expect(since.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < since.length; i++) {
      expect(since[i]).toBeGreaterThan(since[i - 1]);
    }
    expectEachSeqOnce(host);
  });

  it('resumes after a dropped socket without losing or repeating events', async () => {
    await start();
    gateway.useHarness(async run => {
      run.startSession();
      for (let i = 0; i < 200; i++) {
        run.emit({ type: 'file_read', path: `f${i}` });
      }
      await run.settled();
      expect(gateway.dropSocketsNow()).toBe(1);
      for (let i = 200; i < 400; i++) {
        run.emit({ type: 'file_read', path: `f${i}` });
      }
      await run.settled();
      await run.subscribed();
      for (let i = 400; i < 500; i++) {
        run.emit({ type: 'file_read', path: `f${i}` });
      }
    });
    const host = new RecordingHost();

    const outcome = await muxRuntime(gateway).run(muxLaunch(), host);

    expect(outcome).toEqual({ phase: 'Succeeded', reason: 'Completed' });
    expect(reads(host)).toEqual(Array.from({ length: 500 }, (_, i) => `f${i}`));
    expect(host.ofType('session_started')).toHaveLength(1);
    expect(host.ofType('events_lost')).toEqual([]);
    const subscribes = gateway.frames.filter(f => f.type === 'subscribe');
    expect(subscribes.length).toBe(2);
    expect(JSON.parse(subscribes[1].data).sinceSeq).toBeGreaterThan(0);
    expectEachSeqOnce(host);
  });

  it('reports events truncated away while disconnected as one events_lost (seq_gone)', async () => {
    await start({ maxEventsPerRun: 20 });
    gateway.useHarness(async run => {
      run.startSession();
      run.emit({ type: 'file_read', path: 'before' });
      await run.settled();
      gateway.refuseConnections(true);
      gateway.dropSocketsNow();
      for (let i = 0; i < 100; i++) {
        run.emit({ type: 'file_read', path: `gone-${i}` });
      }
      await run.settled();
      gateway.refuseConnections(false);
      await run.subscribed();
      run.emit({ type: 'file_read', path: 'after' });
    });
    const host = new RecordingHost();

    const outcome = await muxRuntime(gateway).run(muxLaunch(), host);

    expect(outcome).toEqual({ phase: 'Succeeded', reason: 'Completed' });
    expect(gateway.seqGoneSent).toHaveLength(1);
    const [{ sinceSeq, tailSeq }] = gateway.seqGoneSent;
    expect(host.ofType('events_lost')).toEqual([
      {
        type: 'events_lost',
        count: tailSeq - 1 - sinceSeq,
        fromSeq: sinceSeq + 1,
        toSeq: tailSeq - 1,
        reason: 'seq_gone',
        runtimeSeq: tailSeq - 1,
      },
    ]);
    expect(reads(host)).toEqual(['before', 'after']);
    expect(host.ofType('warning')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'GatewayTruncated' }),
      ]),
    );
    expectEachSeqOnce(host);
  });

  it('reports skipped seqs as one events_lost per gap', async () => {
    await start();
    gateway.useHarness(async run => {
      run.startSession();
      run.emit({ type: 'file_read', path: 'a' });
      run.skipSeqs(5);
      run.emit({ type: 'file_read', path: 'b' });
    });
    const host = new RecordingHost();

    const outcome = await muxRuntime(gateway).run(muxLaunch(), host);

    expect(outcome).toEqual({ phase: 'Succeeded', reason: 'Completed' });
    const seqOfA = gateway
      .history(host.runtimeRunId!)
      .find(e => e.event.path === 'a')!.seq;
    expect(host.ofType('events_lost')).toEqual([
      {
        type: 'events_lost',
        count: 5,
        fromSeq: seqOfA + 1,
        toSeq: seqOfA + 5,
        reason: 'seq_gap',
        runtimeSeq: seqOfA + 5,
      },
    ]);
    const types = host.events.map(e => e.type);
    expect(types.indexOf('events_lost')).toBeGreaterThan(
      types.indexOf('file_read'),
    );
    expect(reads(host)).toEqual(['a', 'b']);
  });

  it('turns the gateway buffer overflow debug event into a warning', async () => {
    await start({ eventBufferHwm: 50 });
    gateway.useHarness(async run => {
      run.startSession();
      await run.settled();
      for (let i = 0; i < 200; i++) {
        run.emit({ type: 'file_read', path: `f${i}` });
      }
    });
    const host = new RecordingHost();

    await muxRuntime(gateway).run(muxLaunch(), host);

    expect(reads(host)).toHaveLength(50);
    expect(host.ofType('warning')).toEqual([
      expect.objectContaining({
        code: 'EventsDropped',
        message: expect.stringContaining('dropped 150 events (HWM=50)'),
      }),
    ]);
  });

  it('completes text from message_stop when the gateway lost some of its deltas', async () => {
    await start({ eventBufferHwm: 10 });
    const message = 'abcdefghijklmnopqrstuvwxyz0123456789ABCD';
    gateway.useHarness(async run => {
      run.startSession();
      await run.settled();
      run.emit({ type: 'message_start' });
      for (const delta of message) {
        run.emit({ type: 'text_delta', delta });
      }
      await run.settled();
      run.emit({ type: 'message_stop', text: message });
    });
    const host = new RecordingHost();

    await muxRuntime(gateway).run(muxLaunch(), host);

    const deltas = gateway
      .history(host.runtimeRunId!)
      .filter(e => e.event.type === 'text_delta');
    expect(deltas.length).toBeLessThan(message.length);
    // The overflow warning splits the message; message_stop fills in what the deltas lost.
    expect(host.events.map(e => e.type)).toEqual(
      expect.arrayContaining(['text', 'warning', 'text']),
    );
    expect(
      host
        .ofType('text')
        .map(e => e.text)
        .join(''),
    ).toBe(message);
  });
});
