import { RunEventPayload } from '@krate/plugin-agents-common';
import { AgentMuxEventMapper } from './AgentMuxEventMapper';

function mapped(events: Record<string, unknown>[]) {
  const out: (RunEventPayload & { seq?: number })[] = [];
  const mapper = new AgentMuxEventMapper({
    emit: (event, seq) => out.push({ ...event, seq }),
    session: () => undefined,
    finalized: () => undefined,
    hookKind: () => undefined,
  });
  events.forEach((event, index) =>
    mapper.map({
      type: 'run.event',
      runId: 'R',
      seq: index + 1,
      source: String(event.type).includes('.') ? 'gateway' : 'agent',
      event: event as any,
    }),
  );
  mapper.finish();
  return out;
}

const delta = (text: string) => ({
  type: 'text_delta',
  delta: text,
  accumulated: text,
});
const logLine = (line: string) => ({ type: 'log', source: 'stdout', line });

describe('AgentMuxEventMapper', () => {
  it('coalesces deltas and skips the final answer Agent Mux repeats', () => {
    // The shape Agent Mux's Claude adapter produces: deltas, an empty message_stop from the
    // stream, then the result's text as a message_stop of its own.
    const events = mapped([
      { type: 'text_delta', delta: 'Hel', accumulated: 'Hel' },
      { type: 'text_delta', delta: 'lo', accumulated: 'lo' },
      { type: 'message_stop', text: '' },
      { type: 'message_stop', text: 'Hello' },
    ]);
    // At the second stop's seq: a re-attach after it must not see the final text again.
    expect(events).toEqual([{ type: 'text', text: 'Hello', seq: 4 }]);
  });

  it('replaces what lossy deltas built with the final text instead of repeating it', () => {
    expect(
      mapped([
        delta('Hel'),
        { type: 'message_stop', text: '' },
        { type: 'message_stop', text: 'Hello' },
      ]),
    ).toEqual([{ type: 'text', text: 'Hello', seq: 3 }]);
    expect(
      mapped([
        delta('He'),
        delta('o, w'),
        logLine('{"type":"stream_event"}'),
        { type: 'message_stop', text: '' },
        logLine('{"type":"assistant"}'),
        logLine('{"type":"result"}'),
        { type: 'message_stop', text: 'Hello, world' },
      ]),
    ).toEqual([{ type: 'text', text: 'Hello, world', seq: 7 }]);
  });

  it('keeps a message whose empty message_stop no final text follows', () => {
    const events = mapped([
      delta('Let me look.'),
      { type: 'message_stop', text: '' },
      {
        type: 'tool_call_start',
        toolCallId: 't1',
        toolName: 'Read',
        inputAccumulated: '{"file_path":"a.ts"}',
      },
      delta('Do'),
      { type: 'message_stop', text: '' },
      { type: 'message_stop', text: 'Done.' },
    ]);
    expect(events.map(e => (e.type === 'text' ? e.text : e.type))).toEqual([
      'Let me look.',
      'tool_call',
      'Done.',
    ]);
  });

  it('completes text after chunks that lost deltas without repeating them', () => {
    const events = mapped([
      delta('Run'),
      delta('ing '),
      {
        type: 'tool_call_start',
        toolCallId: 't1',
        toolName: 'Bash',
        inputAccumulated: '{"command":"ls"}',
      },
      delta(' now'),
      { type: 'message_stop', text: 'Running ls now' },
    ]);
    expect(events.map(e => (e.type === 'text' ? e.text : e.type))).toEqual([
      'Runing ',
      'tool_call',
      'ls now',
    ]);
  });

  it('coalesces deltas across the log lines the gateway stores between them', () => {
    const events: Record<string, unknown>[] = [];
    for (let i = 0; i < 300; i++) {
      events.push(logLine(`{"delta":${i}}`), delta(`${i} `));
    }
    events.push(
      { type: 'turn_end', turnIndex: 0 },
      { type: 'thinking_stop' },
      { type: 'hook_decision', decision: 'allow', resolvedBy: 'conn' },
      { type: 'message_stop', text: '' },
    );
    const texts = mapped(events).filter(e => e.type === 'text');
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatchObject({
      text: Array.from({ length: 300 }, (_, i) => `${i} `).join(''),
    });
  });

  it('counts buffer overflow notices into one warning, claiming no loss', () => {
    const notice = {
      type: 'debug',
      level: 'warn',
      message: 'Event buffer overflow: events dropped (HWM=1000)',
    };
    const events = mapped([
      notice,
      { type: 'file_read', path: 'a' },
      notice,
      notice,
      { type: 'file_read', path: 'b' },
    ]);
    expect(events).toEqual([
      { type: 'file_read', path: 'a', seq: 2 },
      { type: 'file_read', path: 'b', seq: 5 },
      {
        type: 'warning',
        code: 'GatewayBufferOverflow',
        message: expect.stringMatching(
          /^The Agent Mux gateway reported 3 event buffer overflows \(HWM=1000\) during this attempt\..*does not mean events were lost/,
        ),
      },
    ]);
  });

  it('flushes pending text before other events and completes it at message_stop', () => {
    const events = mapped([
      { type: 'message_start' },
      { type: 'text_delta', delta: 'Running ' },
      {
        type: 'tool_call_start',
        toolCallId: 't1',
        toolName: 'Bash',
        inputAccumulated: '{"command":"ls"}',
      },
      { type: 'text_delta', delta: 'ls' },
      { type: 'message_stop', text: 'Running ls now' },
    ]);
    expect(events).toEqual([
      { type: 'text', text: 'Running ', seq: 2 },
      {
        type: 'tool_call',
        toolCallId: 't1',
        toolName: 'Bash',
        input: { command: 'ls' },
        seq: 3,
      },
      { type: 'text', text: 'ls now', seq: 5 },
    ]);
  });

  it('reports cost totals as increments, restarting when a total drops', () => {
    const events = mapped([
      {
        type: 'cost',
        cost: { totalUsd: 0.5, inputTokens: 10, outputTokens: 1 },
      },
      {
        type: 'cost',
        cost: { totalUsd: 0.5, inputTokens: 10, outputTokens: 1 },
      },
      {
        type: 'cost',
        cost: { totalUsd: 0.7, inputTokens: 30, outputTokens: 1 },
      },
      {
        type: 'cost',
        cost: { totalUsd: 0.1, inputTokens: 5, outputTokens: 2 },
      },
    ]);
    expect(events).toEqual([
      {
        type: 'cost',
        usd: 0.5,
        inputTokens: 10,
        outputTokens: 1,
        runTotal: { usd: 0.5, inputTokens: 10, outputTokens: 1 },
        seq: 1,
      },
      {
        type: 'cost',
        usd: 0.2,
        inputTokens: 20,
        runTotal: { usd: 0.7, inputTokens: 30, outputTokens: 1 },
        seq: 3,
      },
      {
        type: 'cost',
        usd: 0.1,
        inputTokens: 5,
        outputTokens: 2,
        runTotal: { usd: 0.1, inputTokens: 5, outputTokens: 2 },
        seq: 4,
      },
    ]);
  });

  it('keeps unknown events and names gateway events', () => {
    const events = mapped([
      {
        type: 'context_compacted',
        runId: 'R',
        agent: 'a',
        timestamp: 1,
        tokens: 5,
      },
      { type: 'rate_limited', message: 'slow down' },
      { type: 'gateway.other', detail: 1 },
    ]);
    expect(events).toEqual([
      {
        type: 'runtime_event',
        runtimeType: 'context_compacted',
        data: { tokens: 5 },
        seq: 1,
      },
      { type: 'warning', code: 'RateLimited', message: 'slow down', seq: 2 },
      {
        type: 'runtime_event',
        runtimeType: 'gateway/gateway.other',
        data: { detail: 1 },
        seq: 3,
      },
    ]);
  });
});
