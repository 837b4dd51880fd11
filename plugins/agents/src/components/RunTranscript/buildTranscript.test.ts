import { eventsFixture } from '../../__testUtils__/fixtures';
import { buildTranscript } from './buildTranscript';

describe('buildTranscript', () => {
  it('pairs tool calls with results and the shell session they ran', () => {
    const items = buildTranscript(
      eventsFixture([
        { type: 'text', text: 'Looking' },
        {
          type: 'tool_call',
          toolCallId: 't1',
          toolName: 'Bash',
          input: { command: 'ls' },
        },
        { type: 'shell_start', command: 'ls', toolCallId: 't1' },
        {
          type: 'shell_output',
          stream: 'stdout',
          text: 'a\n',
          toolCallId: 't1',
        },
        {
          type: 'shell_output',
          stream: 'stderr',
          text: 'b\n',
          toolCallId: 't1',
        },
        { type: 'shell_exit', exitCode: 0, toolCallId: 't1' },
        {
          type: 'tool_result',
          toolCallId: 't1',
          toolName: 'Bash',
          output: { exitCode: 0 },
        },
        { type: 'cost', usd: 0.1 },
      ]),
    );
    expect(items.map(i => i.kind)).toEqual([
      'attempt',
      'message',
      'tool',
      'event',
    ]);
    const tool = items[2];
    if (tool.kind !== 'tool') throw new Error('not a tool');
    expect(tool.call?.seq).toBe(2);
    expect(tool.result?.seq).toBe(7);
    expect(tool.shell?.start?.command).toBe('ls');
    expect(tool.shell?.output.map(o => o.text)).toEqual(['a\n', 'b\n']);
    expect(tool.shell?.exit?.exitCode).toBe(0);
  });

  it('groups shell output without a tool call under the open shell', () => {
    const items = buildTranscript(
      eventsFixture([
        { type: 'shell_start', command: 'npm test' },
        { type: 'shell_output', stream: 'stdout', text: 'ok' },
        { type: 'shell_exit', exitCode: 1 },
        { type: 'shell_output', stream: 'stdout', text: 'stray' },
      ]),
    );
    expect(items.map(i => i.kind)).toEqual(['attempt', 'shell', 'shell']);
    const [, first, second] = items;
    if (first.kind !== 'shell' || second.kind !== 'shell') throw new Error();
    expect(first.shell.output.map(o => o.text)).toEqual(['ok']);
    expect(first.shell.exit?.exitCode).toBe(1);
    expect(second.shell.start).toBeUndefined();
    expect(second.shell.output.map(o => o.text)).toEqual(['stray']);
  });

  it('nests a subagent’s events in its lane with its outcome', () => {
    const items = buildTranscript(
      eventsFixture([
        {
          type: 'subagent_spawn',
          subagentId: 's1',
          agentName: 'test-writer',
          prompt: 'write tests',
        },
        { type: 'text', text: 'parent keeps going' },
        { type: 'text', text: 'child speaks', subagentId: 's1' },
        {
          type: 'tool_call',
          toolCallId: 'c1',
          toolName: 'Write',
          subagentId: 's1',
        },
        {
          type: 'tool_result',
          toolCallId: 'c1',
          toolName: 'Write',
          subagentId: 's1',
        },
        { type: 'subagent_error', subagentId: 's1', error: 'gave up' },
      ]),
    );
    expect(items.map(i => i.kind)).toEqual(['attempt', 'subagent', 'message']);
    const lane = items[1];
    if (lane.kind !== 'subagent') throw new Error();
    expect(lane.spawn?.agentName).toBe('test-writer');
    expect(lane.items.map(i => i.kind)).toEqual(['message', 'tool']);
    expect(lane.end?.type).toBe('subagent_error');
  });

  it('marks where each attempt starts and keeps MCP phases together', () => {
    const items = buildTranscript([
      ...eventsFixture(
        [
          {
            type: 'mcp_call',
            phase: 'start',
            server: 'github',
            toolName: 'get_pr',
            toolCallId: 'm1',
          },
        ],
        1,
        'run-1-1',
      ),
      ...eventsFixture(
        [
          {
            type: 'mcp_call',
            phase: 'error',
            server: 'github',
            toolName: 'get_pr',
            toolCallId: 'm1',
            error: 'denied',
          },
          {
            type: 'events_lost',
            count: 3,
            fromSeq: 10,
            toSeq: 12,
            reason: 'gap',
          },
        ],
        2,
        'run-1-2',
      ),
    ]);
    expect(items.map(i => i.kind)).toEqual([
      'attempt',
      'mcp',
      'attempt',
      'event',
    ]);
    const call = items[1];
    if (call.kind !== 'mcp') throw new Error();
    expect(call.events.map(e => e.phase)).toEqual(['start', 'error']);
  });
});
