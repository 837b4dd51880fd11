import { ClaudeStreamParser } from './ClaudeStreamParser';

const line = (value: object) => JSON.stringify(value);

function assistant(content: object[], parent: string | null = null) {
  return line({
    type: 'assistant',
    message: { role: 'assistant', content },
    parent_tool_use_id: parent,
    session_id: 's-1',
  });
}

function toolResult(
  block: object,
  detail?: unknown,
  parent: string | null = null,
) {
  return line({
    type: 'user',
    message: { role: 'user', content: [{ type: 'tool_result', ...block }] },
    parent_tool_use_id: parent,
    tool_use_result: detail,
  });
}

describe('ClaudeStreamParser', () => {
  it('keeps lines it cannot read or does not know', () => {
    const parser = new ClaudeStreamParser();
    expect(parser.parse('Segmentation fault')).toEqual([
      expect.objectContaining({ type: 'warning', code: 'UnparsableOutput' }),
    ]);
    expect(parser.parse(line({ type: 'stream_event', event: {} }))).toEqual([
      {
        type: 'runtime_event',
        runtimeType: 'stream_event',
        data: { type: 'stream_event', event: {} },
      },
    ]);
    expect(parser.parse('')).toEqual([]);
  });

  it('reports the session once and marks a resumed one', () => {
    const parser = new ClaudeStreamParser({ resumed: true });
    const init = line({ type: 'system', subtype: 'init', session_id: 's-1' });
    expect(parser.parse(init)).toEqual([
      { type: 'session_started', sessionId: 's-1', resumed: true },
    ]);
    expect(parser.parse(init)).toEqual([]);
    expect(parser.sessionId).toBe('s-1');
  });

  it('derives file changes from Write and Edit results', () => {
    const parser = new ClaudeStreamParser();
    parser.parse(
      assistant([
        {
          type: 'tool_use',
          id: 't1',
          name: 'Write',
          input: { file_path: 'new.txt', content: 'hello\n' },
        },
        {
          type: 'tool_use',
          id: 't2',
          name: 'Edit',
          input: {
            file_path: 'a.txt',
            old_string: 'beta',
            new_string: 'gamma',
          },
        },
      ]),
    );
    const written = parser.parse(
      toolResult(
        { tool_use_id: 't1', content: 'File created' },
        { type: 'create', filePath: 'new.txt' },
      ),
    );
    const edited = parser.parse(
      toolResult(
        { tool_use_id: 't2', content: 'updated' },
        {
          filePath: 'a.txt',
          structuredPatch: [
            {
              oldStart: 1,
              oldLines: 2,
              newStart: 1,
              newLines: 2,
              lines: [' alpha', '-beta', '+gamma'],
            },
          ],
        },
      ),
    );
    expect(written[0]).toEqual({
      type: 'file_change',
      path: 'new.txt',
      change: 'create',
      byteCount: 6,
    });
    expect(edited[0]).toEqual({
      type: 'file_change',
      path: 'a.txt',
      change: 'patch',
      diff: '@@ -1,2 +1,2 @@\n alpha\n-beta\n+gamma',
    });
    expect(edited[1]).toMatchObject({
      type: 'tool_result',
      toolCallId: 't2',
      toolName: 'Edit',
    });
  });

  it('reads the exit code of a failed command and skips it for a refused one', () => {
    const parser = new ClaudeStreamParser();
    parser.parse(
      assistant([
        {
          type: 'tool_use',
          id: 'b1',
          name: 'Bash',
          input: { command: 'exit 3' },
        },
        {
          type: 'tool_use',
          id: 'b2',
          name: 'Bash',
          input: { command: 'rm -rf /' },
        },
      ]),
    );
    const failed = parser.parse(
      toolResult(
        { tool_use_id: 'b1', content: 'Exit code 3\nerr', is_error: true },
        'Error: Exit code 3\nerr',
      ),
    );
    const refused = parser.parse(
      toolResult({
        tool_use_id: 'b2',
        content: 'Denied by policy',
        is_error: true,
      }),
    );
    expect(failed.map(e => e.type)).toEqual(['shell_exit', 'tool_result']);
    expect(failed[0]).toMatchObject({ exitCode: 3, toolCallId: 'b1' });
    expect(refused.map(e => e.type)).toEqual(['tool_result']);
    expect(refused[0]).toMatchObject({
      isError: true,
      output: 'Denied by policy',
    });
  });

  it('maps subagents and MCP tools', () => {
    const parser = new ClaudeStreamParser();
    const spawn = parser.parse(
      assistant([
        {
          type: 'tool_use',
          id: 'task1',
          name: 'Task',
          input: { subagent_type: 'reviewer', prompt: 'Review it' },
        },
      ]),
    );
    const inner = parser.parse(
      assistant([{ type: 'text', text: 'Looks fine' }], 'task1'),
    );
    const done = parser.parse(
      toolResult({
        tool_use_id: 'task1',
        content: [{ type: 'text', text: 'LGTM' }],
      }),
    );
    expect(spawn[1]).toEqual({
      type: 'subagent_spawn',
      subagentId: 'task1',
      agentName: 'reviewer',
      prompt: 'Review it',
    });
    expect(inner).toEqual([
      { type: 'text', text: 'Looks fine', subagentId: 'task1' },
    ]);
    expect(done[0]).toEqual({
      type: 'subagent_result',
      subagentId: 'task1',
      summary: 'LGTM',
    });

    const mcp = parser.parse(
      assistant([
        {
          type: 'tool_use',
          id: 'm1',
          name: 'mcp__tickets__search',
          input: { q: 'x' },
        },
      ]),
    );
    const mcpDone = parser.parse(
      toolResult({ tool_use_id: 'm1', content: 'boom', is_error: true }),
    );
    expect(mcp[1]).toEqual({
      type: 'mcp_call',
      phase: 'start',
      server: 'tickets',
      toolName: 'search',
      toolCallId: 'm1',
      input: { q: 'x' },
    });
    expect(mcpDone[0]).toEqual({
      type: 'mcp_call',
      phase: 'error',
      server: 'tickets',
      toolName: 'search',
      toolCallId: 'm1',
      error: 'boom',
    });
  });

  it('counts only this run of a resumed session as cost', () => {
    const parser = new ClaudeStreamParser();
    const events = parser.parse(
      line({
        type: 'result',
        subtype: 'success',
        is_error: false,
        num_turns: 1,
        session_id: 's-1',
        total_cost_usd: 0.0162,
        usage: {
          input_tokens: 100,
          cache_read_input_tokens: 20,
          output_tokens: 30,
        },
        model_usage_since_last_result: {
          a: { costUSD: 0.005 },
          b: { costUSD: 0.001 },
        },
      }),
    );
    expect(events[0]).toEqual({
      type: 'cost',
      usd: 0.006,
      inputTokens: 120,
      outputTokens: 30,
    });
    expect(events[1]).toEqual({
      type: 'session_ended',
      sessionId: 's-1',
      turnCount: 1,
    });
    expect(parser.result).toMatchObject({ subtype: 'success', isError: false });
  });
});
