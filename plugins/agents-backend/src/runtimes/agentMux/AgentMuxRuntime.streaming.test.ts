import { RecordingHost } from '../../__testUtils__/recordingHost';
import {
  muxLaunch,
  muxRuntime,
  runtimeSeqs,
} from '../../__testUtils__/agentMux/agentMuxTestKit';
import {
  AgentMuxTestGateway,
  AgentMuxTestGatewayOptions,
} from '../../__testUtils__/agentMux';

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
        // Each line is two events (its log line, then the event): below the buffer's 1000.
        if (i % 400 === 399) {
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

  it('counts the gateway buffer overflow notices into one warning that claims no loss', async () => {
    await start({ eventBufferHwm: 50 });
    gateway.useHarness(async run => {
      run.startSession();
      for (let i = 0; i < 200; i++) {
        run.emit({ type: 'file_read', path: `f${i}` });
        if (i % 10 === 9) {
          await run.settled();
        }
      }
    });
    const host = new RecordingHost();

    await muxRuntime(gateway).run(muxLaunch(), host);

    const runId = host.runtimeRunId!;
    const notices = gateway
      .history(runId)
      .filter(e => /buffer overflow/.test(String(e.event.message)));
    expect(notices.length).toBeGreaterThan(1);
    expect(gateway.run(runId)!.droppedBeforeSeq).toBe(0);
    expect(reads(host)).toHaveLength(200);
    expect(host.ofType('events_lost')).toEqual([]);
    expect(host.ofType('warning')).toEqual([
      {
        type: 'warning',
        code: 'GatewayBufferOverflow',
        message: expect.stringContaining(
          `reported ${notices.length} event buffer overflows (HWM=50) during this attempt`,
        ),
      },
    ]);
    expect(host.events.at(-1)?.type).toBe('warning');
  });

  it('reports no more than one warning when the gateway did drop events before their seq', async () => {
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

    expect(gateway.run(host.runtimeRunId!)!.droppedBeforeSeq).toBeGreaterThan(
      0,
    );
    expect(reads(host).length).toBeLessThan(200);
    expect(host.ofType('events_lost')).toEqual([]);
    expect(host.ofType('warning')).toEqual([
      expect.objectContaining({ code: 'GatewayBufferOverflow' }),
    ]);
  });

  it('shows the answer once when deltas were lost and Claude ends the message twice', async () => {
    await start({ eventBufferHwm: 20 });
    const message = 'abcdefghijklmnopqrstuvwxyz0123456789ABCD';
    gateway.useHarness(async run => {
      run.startSession();
      await run.settled();
      for (const delta of message) {
        run.emit({ type: 'text_delta', delta, accumulated: delta });
      }
      await run.settled();
      // The stream's empty message_stop, the assistant line, then the result's final text.
      run.emit({ type: 'message_stop', text: '' });
      run.print('{"type":"assistant"}');
      run.emit({ type: 'message_stop', text: message });
    });
    const host = new RecordingHost();

    await muxRuntime(gateway).run(muxLaunch(), host);

    const deltas = gateway
      .history(host.runtimeRunId!)
      .filter(e => e.event.type === 'text_delta');
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.length).toBeLessThan(message.length);
    expect(host.ofType('text').map(e => e.text)).toEqual([message]);
  });

  it('stores one text event for a streamed message although a log line follows every delta', async () => {
    await start();
    const words = Array.from(
      { length: 300 },
      (_, i) => `w${String(i).padStart(3, '0')} `,
    );
    gateway.useHarness(async run => {
      run.startSession();
      await run.settled();
      run.claudeText(words.join(''), words.length);
    });
    const host = new RecordingHost();

    await muxRuntime(gateway).run(muxLaunch(), host);

    const history = gateway.history(host.runtimeRunId!);
    expect(history.filter(e => e.event.type === 'text_delta')).toHaveLength(
      300,
    );
    expect(history.filter(e => e.event.type === 'log').length).toBeGreaterThan(
      300,
    );
    expect(host.ofType('text')).toEqual([
      expect.objectContaining({ text: words.join('') }),
    ]);
  });
});
