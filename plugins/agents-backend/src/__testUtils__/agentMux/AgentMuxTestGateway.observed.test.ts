import {
  AgentMuxTestGateway,
  AgentMuxTestGatewayOptions,
} from './AgentMuxTestGateway';
import { Harness } from './Harness';

/** What a real gateway was seen doing with a stand-in `claude` (agent-mux-protocol.md). */
describe('AgentMuxTestGateway, as Agent Mux was observed', () => {
  let gateway: AgentMuxTestGateway;

  afterEach(async () => {
    await gateway?.close();
  });

  async function start(
    harness: Harness,
    options: AgentMuxTestGatewayOptions = {},
  ) {
    gateway = await AgentMuxTestGateway.start({
      hookDecisionTimeoutMs: 50,
      ...options,
      harness,
    });
  }

  async function call(method: string, path: string, body?: unknown) {
    const response = await fetch(`${gateway.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${gateway.token}`,
        'content-type': 'application/json',
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: await response.json() };
  }

  async function startRun(options: Record<string, unknown> = {}) {
    const { status, body } = await call('POST', '/api/v1/runs', {
      agent: 'claude',
      prompt: 'hello',
      ...options,
    });
    expect(status).toBe(201);
    return body.runId as string;
  }

  function agentEvents(runId: string) {
    return gateway
      .history(runId)
      .filter(e => e.source === 'agent')
      .map(e => e.event);
  }

  it('lists claude-agent-sdk and claude, and no claude-code', async () => {
    await start(async () => undefined);
    const { body } = await call('GET', '/api/v1/agents');
    expect(body.agents).toEqual(['claude-agent-sdk', 'claude']);
    expect(body.agentDescriptors[1]).toMatchObject({
      agent: 'claude',
      displayName: 'Claude Code',
    });
  });

  it('stores every stdout line as a log event, before the events parsed from it', async () => {
    await start(async run => {
      run.claudeText('Hi there', 2);
    });
    const runId = await startRun();
    await gateway.run(runId)!.finished;

    const types = agentEvents(runId)
      .slice(1)
      .map(e => e.type);
    expect(types).toEqual([
      'log',
      'text_delta',
      'log',
      'text_delta',
      'log',
      'message_stop',
      'log',
      'log',
      'message_stop',
    ]);
    const stops = agentEvents(runId).filter(e => e.type === 'message_stop');
    expect(stops.map(e => e.text)).toEqual(['', 'Hi there']);
  });

  it('sends its overflow notice also when it only evicted events already delivered', async () => {
    await start(
      async run => {
        for (let i = 0; i < 60; i++) {
          run.emit({ type: 'file_read', path: `f${i}` });
          if (i % 5 === 4) {
            await run.settled();
          }
        }
      },
      { eventBufferHwm: 20 },
    );
    const runId = await startRun();
    await gateway.run(runId)!.finished;

    expect(gateway.run(runId)!.droppedBeforeSeq).toBe(0);
    const events = agentEvents(runId);
    expect(events.filter(e => e.type === 'file_read')).toHaveLength(60);
    expect(
      events.filter(e => String(e.message).startsWith('Event buffer overflow')),
    ).not.toHaveLength(0);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'debug',
        message: 'Event buffer overflow: events dropped (HWM=20)',
      }),
    );
  });

  it('keeps a run running after a restart although no event will ever come', async () => {
    let printed = 0;
    await start(async run => {
      run.startSession();
      for (;;) {
        run.emit({ type: 'file_read', path: `f${printed++}` });
        await run.sleep(10);
        if (run.signal.aborted) {
          return;
        }
      }
    });
    const runId = await startRun();
    while (printed < 5) {
      await new Promise(resolve => setTimeout(resolve, 10));
    }

    gateway.restart();
    const stored = gateway.history(runId).length;
    await new Promise(resolve => setTimeout(resolve, 100));

    expect(gateway.history(runId)).toHaveLength(stored);
    expect((await call('GET', `/api/v1/runs/${runId}`)).body).toMatchObject({
      status: 'running',
      endedAt: null,
    });
    expect((await call('GET', '/healthz')).body.runs).toEqual({ active: 1 });
    expect(await call('POST', `/api/v1/runs/${runId}/stop`)).toEqual({
      status: 404,
      body: { stopped: false },
    });
  });

  it('ends a run at its timeout option (milliseconds) with exit reason timeout', async () => {
    await start(async run => {
      run.startSession();
      await run.sleep(10_000);
    });
    const runId = await startRun({ timeout: 100 });
    await gateway.run(runId)!.finished;

    const types = gateway.history(runId).map(e => e.event.type);
    expect(types.slice(-2)).toEqual(['timeout', 'run.finalized']);
    expect((await call('GET', `/api/v1/runs/${runId}`)).body).toMatchObject({
      status: 'failed',
      exitReason: 'timeout',
    });
  });
});
