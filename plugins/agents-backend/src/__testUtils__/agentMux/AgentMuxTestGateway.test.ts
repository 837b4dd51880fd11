import WebSocket from 'ws';
import { AgentMuxTestGateway } from './AgentMuxTestGateway';
import { Harness } from './Harness';

interface Client {
  ws: WebSocket;
  frames: any[];
  closed: Promise<number>;
  send(frame: unknown): void;
  next(predicate: (frame: any) => boolean, timeoutMs?: number): Promise<any>;
}

function connect(
  gateway: AgentMuxTestGateway,
  options: { header?: string } = {},
): Promise<Client> {
  const ws = new WebSocket(`${gateway.url.replace('http', 'ws')}/any/path`, {
    headers: options.header ? { authorization: options.header } : {},
  });
  const frames: any[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', data => {
    frames.push(JSON.parse(String(data)));
    waiters.splice(0).forEach(wake => wake());
  });
  const closed = new Promise<number>(resolve => ws.on('close', resolve));
  const client: Client = {
    ws,
    frames,
    closed,
    send: frame =>
      ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    async next(predicate, timeoutMs = 3_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = frames.find(predicate);
        if (found) {
          return found;
        }
        if (Date.now() > deadline) {
          throw new Error(`no matching frame; got ${JSON.stringify(frames)}`);
        }
        await new Promise<void>(resolve => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('error', reject);
  });
}

async function authed(gateway: AgentMuxTestGateway): Promise<Client> {
  const client = await connect(gateway);
  client.send({ type: 'auth', token: gateway.token });
  await client.next(f => f.type === 'hello');
  return client;
}

function rest(
  gateway: AgentMuxTestGateway,
  method: string,
  path: string,
  body?: string,
  token: string | null = gateway.token,
) {
  return fetch(`${gateway.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      'content-type': 'application/json',
    },
    ...(body === undefined ? {} : { body }),
  });
}

async function startRun(gateway: AgentMuxTestGateway, prompt = 'hello') {
  const response = await rest(
    gateway,
    'POST',
    '/api/v1/runs',
    JSON.stringify({ agent: 'claude', prompt }),
  );
  expect(response.status).toBe(201);
  return (await response.json()).runId as string;
}

async function finished(gateway: AgentMuxTestGateway, runId: string) {
  await gateway.run(runId)!.finished;
}

describe('AgentMuxTestGateway', () => {
  let gateway: AgentMuxTestGateway;
  const clients: Client[] = [];

  async function start(options = {}) {
    gateway = await AgentMuxTestGateway.start(options);
    return gateway;
  }

  afterEach(async () => {
    clients.splice(0).forEach(c => c.ws.terminate());
    await gateway?.close();
  });

  it('answers REST like Agent Mux: 401, 404, 400 and bare 500s', async () => {
    await start({ maxConcurrentRuns: 1 });
    gateway.useHarness(async run => {
      await run.sleep(5_000);
    });

    const health = await rest(gateway, 'GET', '/healthz', undefined, null);
    expect(await health.json()).toMatchObject({
      ok: true,
      runs: { active: 0 },
    });
    const unauthorized = await rest(
      gateway,
      'GET',
      '/api/v1/agents',
      undefined,
      'nope',
    );
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.text()).toBe('{"error":"unauthorized"}');
    const missing = await rest(gateway, 'GET', '/api/v1/runs/NOPE');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'not_found' });

    const badJson = await rest(gateway, 'POST', '/api/v1/runs', '{"agent":');
    expect(badJson.status).toBe(500);
    expect(await badJson.text()).toBe('Internal Server Error');
    const empty = await rest(
      gateway,
      'POST',
      '/api/v1/runs',
      JSON.stringify({ agent: 'claude', prompt: '' }),
    );
    expect([empty.status, await empty.text()]).toEqual([
      500,
      'Internal Server Error',
    ]);
    const agents = await rest(gateway, 'GET', '/api/v1/agents');
    expect((await agents.json()).agents).toEqual([
      'claude-agent-sdk',
      'claude',
    ]);
    for (const agent of ['codex', 'claude-code']) {
      const unknownAgent = await rest(
        gateway,
        'POST',
        '/api/v1/runs',
        JSON.stringify({ agent, prompt: 'x' }),
      );
      expect(unknownAgent.status).toBe(400);
      expect(await unknownAgent.json()).toEqual({
        error: 'agent_unavailable',
        agent,
      });
    }

    const escaped = await rest(
      gateway,
      'POST',
      '/api/v1/runs',
      JSON.stringify({
        agent: 'claude',
        prompt: 'x',
        runId: '../escape-test',
      }),
    );
    expect(escaped.status).toBe(201);
    expect((await escaped.json()).runId).toBe('../escape-test');
    const overLimit = await rest(
      gateway,
      'POST',
      '/api/v1/runs',
      JSON.stringify({ agent: 'claude', prompt: 'second' }),
    );
    expect([overLimit.status, await overLimit.text()]).toEqual([
      500,
      'Internal Server Error',
    ]);
  });

  it('closes 4400 on invalid frames before hello and 4401 on anything but auth', async () => {
    await start();
    const cases: [unknown, number][] = [
      ['not json', 4400],
      [{ id: 'r1', type: 'agents.list' }, 4400],
      [{ type: 'subscribe' }, 4400],
      [{ type: 'subscribe', runId: 'R' }, 4401],
      [{ type: 'ping' }, 4401],
      [{ type: 'auth', token: 'wrong' }, 4401],
    ];
    for (const [frame, code] of cases) {
      const client = await connect(gateway);
      clients.push(client);
      client.send(frame);
      await expect(client.closed).resolves.toBe(code);
      expect(client.frames).toEqual([]);
    }

    const byHeader = await connect(gateway, {
      header: `Bearer ${gateway.token}`,
    });
    clients.push(byHeader);
    await byHeader.next(f => f.type === 'hello');
    byHeader.send({ id: 'p1', type: 'ping' });
    await byHeader.next(f => f.type === 'pong');
    expect(byHeader.frames.find(f => f.type === 'pong')).toEqual({
      type: 'pong',
    });
    byHeader.send({ id: 'a1', type: 'agents.list' });
    expect(await byHeader.next(f => f.id === 'a1')).toEqual({
      id: 'a1',
      agents: ['claude-agent-sdk', 'claude'],
    });
    byHeader.send({ id: 'x1', type: 'no.such.request' });
    await expect(byHeader.closed).resolves.toBe(4400);

    const badHeader = await connect(gateway, { header: 'Bearer wrong' });
    clients.push(badHeader);
    badHeader.send({ type: 'auth', token: gateway.token });
    await badHeader.next(f => f.type === 'hello');
  });

  it('replays at most 1024 frames, then closes with 4008', async () => {
    await start();
    gateway.useHarness(async run => {
      // Each line is stored twice (its log event, then the file_read): 1400 and more events.
      for (let i = 0; i < 700; i++) {
        run.emit({ type: 'file_read', path: `f${i}` });
        if (i % 400 === 399) {
          await run.settled();
        }
      }
    });
    const runId = await startRun(gateway);
    await finished(gateway, runId);
    const history = gateway.history(runId);
    const total = history.length;
    expect(history.filter(e => e.event.type === 'file_read')).toHaveLength(700);
    expect(total).toBeGreaterThan(1024);
    expect(total).toBeLessThan(2 * 1024);

    const first = await authed(gateway);
    clients.push(first);
    first.send({ type: 'subscribe', runId, sinceSeq: 0 });
    await expect(first.closed).resolves.toBe(4008);
    const replayed = first.frames.filter(f => f.type === 'run.event');
    expect(replayed).toHaveLength(1024);
    expect(replayed.map(f => f.seq)).toEqual(
      Array.from({ length: 1024 }, (_, i) => i + 1),
    );

    const second = await authed(gateway);
    clients.push(second);
    second.send({ type: 'subscribe', runId, sinceSeq: 1024 });
    await second.next(f => f.event?.type === 'run.finalized');
    const rest2 = second.frames.filter(f => f.type === 'run.event');
    expect(rest2.map(f => f.seq)).toEqual(
      Array.from({ length: total - 1024 }, (_, i) => i + 1025),
    );
  });

  it('starts every run with user_message, debug and a userPromptSubmit hook', async () => {
    await start({ hookDecisionTimeoutMs: 300 });
    const client = await authed(gateway);
    clients.push(client);
    const runId = 'RUNID0000000000000000000AA';
    client.send({ type: 'subscribe', runId, sinceSeq: 0 });
    await new Promise(resolve => setTimeout(resolve, 20));
    await rest(
      gateway,
      'POST',
      '/api/v1/runs',
      JSON.stringify({ agent: 'claude', prompt: 'hi', runId }),
    );
    const hook = await client.next(f => f.type === 'hook.request');
    expect(hook).toMatchObject({
      runId,
      hookKind: 'userPromptSubmit',
      payload: { prompt: 'hi' },
    });
    expect(hook.deadlineTs).toBeGreaterThan(Date.now());
    const events = client.frames.filter(f => f.type === 'run.event');
    expect(
      events.slice(0, 2).map(f => [f.seq, f.source, f.event.type]),
    ).toEqual([
      [1, 'gateway', 'user_message'],
      [2, 'agent', 'debug'],
    ]);
    client.send({
      id: 'd1',
      type: 'hook.decision',
      hookRequestId: hook.hookRequestId,
      decision: 'allow',
    });
    expect(await client.next(f => f.id === 'd1')).toEqual({
      id: 'd1',
      ok: true,
    });
    await client.next(f => f.event?.type === 'run.finalized');
  });

  it('fixes hook recipients when asking and falls back to allow', async () => {
    await start({ hookDecisionTimeoutMs: 300 });
    let subscriberJoined!: () => void;
    const joined = new Promise<void>(resolve => {
      subscriberJoined = resolve;
    });
    gateway.useHarness(async run => {
      run.startSession();
      await run.toolCall({
        toolCallId: 'toolu_a',
        toolName: 'Bash',
        input: { command: 'ls' },
        output: 'a.txt',
      });
      await joined;
    });
    const early = await authed(gateway);
    clients.push(early);
    const runId = 'RUNID0000000000000000000BB';
    early.send({ type: 'subscribe', runId });
    await new Promise(resolve => setTimeout(resolve, 20));
    await rest(
      gateway,
      'POST',
      '/api/v1/runs',
      JSON.stringify({ agent: 'claude', prompt: 'go', runId }),
    );
    const prompt = await early.next(f => f.hookKind === 'userPromptSubmit');
    early.send({
      type: 'hook.decision',
      hookRequestId: prompt.hookRequestId,
      decision: 'allow',
    });
    const tool = await early.next(f => f.hookKind === 'preToolUse');
    expect(tool.payload).toMatchObject({
      toolCallId: 'toolu_a',
      toolName: 'Bash',
      input: '{"command":"ls"}',
    });

    const late = await authed(gateway);
    clients.push(late);
    late.send({ type: 'subscribe', runId });
    late.send({
      id: 'late',
      type: 'hook.decision',
      hookRequestId: tool.hookRequestId,
      decision: 'deny',
    });
    expect(await late.next(f => f.id === 'late')).toEqual({
      id: 'late',
      ok: false,
    });
    expect(late.frames.some(f => f.type === 'hook.request')).toBe(false);

    const decision = await early.next(
      f =>
        f.event?.type === 'hook_decision' &&
        f.event.hookRequestId === tool.hookRequestId,
      2_000,
    );
    expect(decision.event).toMatchObject({
      decision: 'allow',
      resolvedBy: 'timeout',
    });
    await early.next(f => f.event?.type === 'tool_call_start');
    expect(early.frames.some(f => f.event?.type === 'tool_error')).toBe(false);
    subscriberJoined();
    await early.next(f => f.event?.type === 'run.finalized');

    const unwatched = await startRun(gateway);
    await finished(gateway, unwatched);
    const types = gateway
      .history(unwatched)
      .map(e => [e.event.type, e.event.code ?? e.event.resolvedBy]);
    expect(types).toEqual(
      expect.arrayContaining([
        ['gateway.notification', 'hook_zero_subscribers'],
        ['hook_decision', 'fallback'],
      ]),
    );
  });

  it('turns a denied tool start into tool_error but still reports the result', async () => {
    await start();
    gateway.useHarness(async run => {
      run.startSession();
      await run.toolCall({
        toolCallId: 'toolu_x',
        toolName: 'Bash',
        input: { command: 'rm -rf /' },
        output: 'gone',
      });
    });
    const client = await authed(gateway);
    clients.push(client);
    const runId = 'RUNID0000000000000000000CC';
    client.send({ type: 'subscribe', runId });
    await new Promise(resolve => setTimeout(resolve, 20));
    await rest(
      gateway,
      'POST',
      '/api/v1/runs',
      JSON.stringify({ agent: 'claude', prompt: 'go', runId }),
    );
    for (const kind of ['userPromptSubmit', 'preToolUse']) {
      const hook = await client.next(f => f.hookKind === kind);
      client.send({
        type: 'hook.decision',
        hookRequestId: hook.hookRequestId,
        decision: kind === 'preToolUse' ? 'deny' : 'allow',
        reason: 'no',
      });
    }
    await client.next(f => f.event?.type === 'run.finalized');
    const types = client.frames
      .filter(f => f.type === 'run.event')
      .map(f => f.event.type);
    expect(types).not.toContain('tool_call_start');
    expect(types).toEqual(
      expect.arrayContaining(['hook_decision', 'tool_error', 'tool_result']),
    );
    expect(types.indexOf('tool_error')).toBeLessThan(
      types.indexOf('tool_result'),
    );
  });

  it('truncates above the cap and answers seq_gone for older seqs', async () => {
    await start({ maxEventsPerRun: 10 });
    gateway.useHarness(async run => {
      for (let i = 0; i < 50; i++) {
        run.emit({ type: 'file_read', path: `f${i}` });
      }
    });
    const runId = await startRun(gateway);
    await finished(gateway, runId);
    const truncations = gateway
      .history(runId)
      .filter(e => e.event.code === 'events_truncated');
    expect(truncations.length).toBeGreaterThan(1);
    expect(truncations[0].event).toMatchObject({ droppedCount: 1 });

    const client = await authed(gateway);
    clients.push(client);
    client.send({ type: 'subscribe', runId, sinceSeq: 0 });
    const error = await client.next(f => f.type === 'error');
    const tailSeq = gateway.history(runId).at(-1)!.seq;
    expect(error).toEqual({
      type: 'error',
      code: 'seq_gone',
      message: expect.any(String),
      runId,
      tailSeq,
    });
    expect(client.frames.filter(f => f.type === 'run.event')).toEqual([]);
  });

  it('stops a run with aborted then run.finalized, and 404 once it is over', async () => {
    await start();
    const harness: Harness = async run => {
      run.startSession();
      await run.sleep(10_000);
    };
    gateway.useHarness(harness);
    const runId = await startRun(gateway);
    const stop = await rest(gateway, 'POST', `/api/v1/runs/${runId}/stop`);
    expect(await stop.json()).toEqual({ stopped: true });
    const types = gateway.history(runId).map(e => e.event.type);
    expect(types.slice(-2)).toEqual(['aborted', 'run.finalized']);
    expect(gateway.history(runId).at(-1)!.event).toMatchObject({
      exitReason: 'aborted',
    });
    const again = await rest(gateway, 'POST', `/api/v1/runs/${runId}/stop`);
    expect([again.status, await again.json()]).toEqual([
      404,
      { stopped: false },
    ]);
  });

  it('dies on a run.start with an empty prompt, as Agent Mux does', async () => {
    await start();
    const client = await authed(gateway);
    clients.push(client);
    client.send({
      id: 's1',
      type: 'run.start',
      agent: 'claude',
      prompt: '',
    });
    await client.closed;
    expect(gateway.crashed).toBe(true);
    await expect(fetch(`${gateway.url}/healthz`)).rejects.toThrow();
  });
});
