import { CodexStreamParser } from './CodexStreamParser';

const line = (value: object) => JSON.stringify(value);

describe('CodexStreamParser', () => {
  it('keeps lines it cannot read or does not know', () => {
    const parser = new CodexStreamParser();
    expect(parser.parse('thread panicked')).toEqual([
      expect.objectContaining({ type: 'warning', code: 'UnparsableOutput' }),
    ]);
    expect(parser.parse(line({ type: 'turn.started' }))).toEqual([
      {
        type: 'runtime_event',
        runtimeType: 'turn.started',
        data: { type: 'turn.started' },
      },
    ]);
    expect(
      parser.parse(
        line({
          type: 'item.completed',
          item: { id: 'i0', type: 'todo_list', items: [] },
        }),
      ),
    ).toEqual([
      expect.objectContaining({
        type: 'runtime_event',
        runtimeType: 'item.completed/todo_list',
      }),
    ]);
  });

  it('treats error items as warnings, except the expected hook-trust notice, and top-level errors as recoverable errors', () => {
    const parser = new CodexStreamParser();
    expect(
      parser.parse(
        line({
          type: 'item.completed',
          item: { id: 'i0', type: 'error', message: 'MCP server failed' },
        }),
      ),
    ).toEqual([
      {
        type: 'warning',
        code: 'CodexItemError',
        message: 'MCP server failed',
      },
    ]);
    expect(
      parser.parse(
        line({
          type: 'item.completed',
          item: {
            id: 'i1',
            type: 'error',
            message: '`--dangerously-bypass-hook-trust` is enabled.',
          },
        }),
      ),
    ).toEqual([
      expect.objectContaining({
        type: 'runtime_event',
        runtimeType: 'item.completed/error',
      }),
    ]);
    expect(
      parser.parse(line({ type: 'error', message: 'Reconnecting... 1/5' })),
    ).toEqual([
      {
        type: 'error',
        code: 'CodexError',
        message: 'Reconnecting... 1/5',
        recoverable: true,
      },
    ]);
    parser.parse(
      line({ type: 'turn.failed', error: { message: 'model refused' } }),
    );
    expect(parser.failure).toBe('model refused');
  });

  it('reports a failed command with its exit code and output', () => {
    const parser = new CodexStreamParser();
    const item = {
      id: 'i1',
      type: 'command_execution',
      command: "/bin/bash -lc 'exit 3'",
    };
    parser.parse(
      line({
        type: 'item.started',
        item: { ...item, status: 'in_progress', exit_code: null },
      }),
    );
    const events = parser.parse(
      line({
        type: 'item.completed',
        item: {
          ...item,
          aggregated_output: 'err\n',
          exit_code: 3,
          status: 'failed',
        },
      }),
    );
    expect(events.map(e => e.type)).toEqual([
      'shell_output',
      'shell_exit',
      'tool_result',
    ]);
    expect(events[1]).toMatchObject({ exitCode: 3, toolCallId: 'i1' });
    expect(events[2]).toMatchObject({ isError: true, output: 'err\n' });
  });

  it('emits the tool call for an item that completes without a start', () => {
    const parser = new CodexStreamParser();
    const events = parser.parse(
      line({
        type: 'item.completed',
        item: {
          id: 'i2',
          type: 'file_change',
          status: 'completed',
          changes: [
            { path: '/w/a.txt', kind: 'update' },
            { path: '/w/b.txt', kind: 'delete' },
          ],
        },
      }),
    );
    expect(events.map(e => e.type)).toEqual([
      'tool_call',
      'file_change',
      'file_change',
      'tool_result',
    ]);
    expect(events[1]).toEqual({
      type: 'file_change',
      path: '/w/a.txt',
      change: 'patch',
    });
    expect(events[2]).toEqual({
      type: 'file_change',
      path: '/w/b.txt',
      change: 'delete',
    });
  });

  it('maps MCP tool calls', () => {
    const parser = new CodexStreamParser();
    const item = {
      id: 'i3',
      type: 'mcp_tool_call',
      server: 'tickets',
      tool: 'search',
      arguments: { q: 'x' },
    };
    const started = parser.parse(
      line({ type: 'item.started', item: { ...item, status: 'in_progress' } }),
    );
    const done = parser.parse(
      line({
        type: 'item.completed',
        item: { ...item, status: 'completed', result: { content: [] } },
      }),
    );
    expect(started[0]).toMatchObject({
      type: 'tool_call',
      toolName: 'mcp__tickets__search',
    });
    expect(started[1]).toEqual({
      type: 'mcp_call',
      phase: 'start',
      server: 'tickets',
      toolName: 'search',
      toolCallId: 'i3',
      input: { q: 'x' },
    });
    expect(done[0]).toMatchObject({
      type: 'mcp_call',
      phase: 'result',
      output: { content: [] },
    });
  });

  it('turns the thread’s cumulative usage into increments', () => {
    const parser = new CodexStreamParser({
      usage: { inputTokens: 100, cachedInputTokens: 0, outputTokens: 10 },
    });
    const events = parser.parse(
      line({
        type: 'turn.completed',
        usage: {
          input_tokens: 250,
          cached_input_tokens: 50,
          output_tokens: 40,
        },
      }),
    );
    expect(events[0]).toEqual({
      type: 'cost',
      inputTokens: 150,
      outputTokens: 30,
    });
    expect(parser.usage).toEqual({
      inputTokens: 250,
      cachedInputTokens: 50,
      outputTokens: 40,
    });
    expect(parser.turnCompleted).toBe(true);
  });
});
