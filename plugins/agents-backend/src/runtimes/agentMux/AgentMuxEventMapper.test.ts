import { RunEventPayload } from '@krate/plugin-agents-common';
import { AgentMuxEventMapper } from './AgentMuxEventMapper';

function mapped(events: Record<string, unknown>[]) {
  const out: (RunEventPayload & { seq: number })[] = [];
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
  mapper.flush();
  return out;
}

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
    expect(events).toEqual([{ type: 'text', text: 'Hello', seq: 3 }]);
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
