import { RunEventPayload } from '@krate/plugin-agents-common';

/** Codex's token counters; `turn.completed` reports them for the whole thread so far. */
export interface CodexUsage {
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
}

const HOOK_TRUST_FLAG = '--dangerously-bypass-hook-trust';

const FILE_CHANGE_KINDS: Record<string, 'create' | 'patch' | 'delete'> = {
  add: 'create',
  update: 'patch',
  delete: 'delete',
};

const TOOL_NAMES: Record<string, string> = {
  command_execution: 'exec_command',
  file_change: 'apply_patch',
  web_search: 'web_search',
};

function usageOf(raw: any): CodexUsage {
  return {
    inputTokens: Number(raw?.input_tokens) || 0,
    cachedInputTokens: Number(raw?.cached_input_tokens) || 0,
    outputTokens: Number(raw?.output_tokens) || 0,
  };
}

/**
 * Turns the JSONL of `codex exec --json` into normalized run events, one line at a time. It
 * pairs `item.started` with `item.completed` for tool calls, derives shell and file events, and
 * turns the thread's cumulative usage into increments from the usage the session had before.
 */
export class CodexStreamParser {
  sessionId?: string;
  /** The thread's usage after the last completed turn. */
  usage: CodexUsage;
  turnCompleted = false;
  failure?: string;
  readonly #started = new Map<string, number>();
  readonly #resumed: boolean;

  constructor(options: { resumed?: boolean; usage?: CodexUsage } = {}) {
    this.#resumed = options.resumed ?? false;
    this.usage = options.usage ?? {
      inputTokens: 0,
      cachedInputTokens: 0,
      outputTokens: 0,
    };
  }

  parse(line: string): RunEventPayload[] {
    if (!line.trim()) {
      return [];
    }
    let message: any;
    try {
      message = JSON.parse(line);
    } catch {
      return [
        {
          type: 'warning',
          code: 'UnparsableOutput',
          message: `Codex printed a line that is not JSON: ${line.slice(
            0,
            500,
          )}`,
        },
      ];
    }
    switch (message?.type) {
      case 'thread.started':
        return this.#threadStarted(message);
      case 'item.started':
        return this.#itemStarted(message.item ?? {});
      case 'item.completed':
        return this.#itemCompleted(message.item ?? {});
      case 'turn.completed':
        return this.#turnCompleted(message);
      case 'turn.failed': {
        this.failure = String(message.error?.message ?? 'The turn failed');
        return [{ type: 'error', code: 'TurnFailed', message: this.failure }];
      }
      case 'error':
        return [
          {
            type: 'error',
            code: 'CodexError',
            message: String(message.message ?? 'Codex reported an error'),
            recoverable: true,
          },
        ];
      default:
        return [
          {
            type: 'runtime_event',
            runtimeType: String(message?.type),
            data: message,
          },
        ];
    }
  }

  #threadStarted(message: any): RunEventPayload[] {
    const id = String(message.thread_id);
    if (this.sessionId === id) {
      return [];
    }
    this.sessionId = id;
    return [
      {
        type: 'session_started',
        sessionId: id,
        ...(this.#resumed ? { resumed: true } : {}),
      },
    ];
  }

  #itemStarted(item: any): RunEventPayload[] {
    const toolName = CodexStreamParser.toolName(item);
    if (!toolName) {
      return [
        {
          type: 'runtime_event',
          runtimeType: `item.started/${item.type}`,
          data: item,
        },
      ];
    }
    return this.#toolCall(item, toolName);
  }

  #toolCall(item: any, toolName: string): RunEventPayload[] {
    const id = String(item.id);
    this.#started.set(id, Date.now());
    const events: RunEventPayload[] = [
      {
        type: 'tool_call',
        toolCallId: id,
        toolName,
        input: CodexStreamParser.inputOf(item),
      },
    ];
    if (item.type === 'command_execution') {
      events.push({
        type: 'shell_start',
        command: String(item.command),
        toolCallId: id,
      });
    } else if (item.type === 'mcp_tool_call') {
      events.push({
        type: 'mcp_call',
        phase: 'start',
        server: String(item.server),
        toolName: String(item.tool),
        toolCallId: id,
        input: item.arguments,
      });
    }
    return events;
  }

  #itemCompleted(item: any): RunEventPayload[] {
    switch (item.type) {
      case 'agent_message':
        return item.text ? [{ type: 'text', text: String(item.text) }] : [];
      case 'reasoning':
        return item.text ? [{ type: 'thinking', text: String(item.text) }] : [];
      case 'error':
        // The runtime passes that flag on purpose, for its own hook; not worth a warning.
        if (String(item.message).includes(HOOK_TRUST_FLAG)) {
          return [
            {
              type: 'runtime_event',
              runtimeType: 'item.completed/error',
              data: item,
            },
          ];
        }
        return [
          {
            type: 'warning',
            code: 'CodexItemError',
            message: String(item.message),
          },
        ];
      default:
        break;
    }
    const toolName = CodexStreamParser.toolName(item);
    if (!toolName) {
      return [
        {
          type: 'runtime_event',
          runtimeType: `item.completed/${item.type}`,
          data: item,
        },
      ];
    }
    const id = String(item.id);
    const events = this.#started.has(id) ? [] : this.#toolCall(item, toolName);
    const durationMs = Date.now() - (this.#started.get(id) ?? Date.now());
    this.#started.delete(id);
    const failed = item.status === 'failed' || item.status === 'declined';
    let output: unknown = undefined;
    if (item.type === 'command_execution') {
      output = String(item.aggregated_output ?? '');
      if (output) {
        events.push({
          type: 'shell_output',
          stream: 'stdout',
          text: output as string,
          toolCallId: id,
        });
      }
      events.push({
        type: 'shell_exit',
        exitCode: typeof item.exit_code === 'number' ? item.exit_code : null,
        durationMs,
        toolCallId: id,
      });
    } else if (item.type === 'file_change') {
      output = item.changes;
      if (!failed) {
        for (const change of item.changes ?? []) {
          events.push({
            type: 'file_change',
            path: String(change.path),
            change: FILE_CHANGE_KINDS[change.kind] ?? 'patch',
          });
        }
      }
    } else if (item.type === 'mcp_tool_call') {
      output = item.result;
      const error = item.error?.message ?? (failed ? 'failed' : undefined);
      events.push(
        error
          ? {
              type: 'mcp_call',
              phase: 'error',
              server: String(item.server),
              toolName: String(item.tool),
              toolCallId: id,
              error: String(error),
            }
          : {
              type: 'mcp_call',
              phase: 'result',
              server: String(item.server),
              toolName: String(item.tool),
              toolCallId: id,
              output,
            },
      );
    } else {
      output = item;
    }
    events.push({
      type: 'tool_result',
      toolCallId: id,
      toolName,
      output,
      ...(failed ? { isError: true } : {}),
      durationMs,
    });
    return events;
  }

  #turnCompleted(message: any): RunEventPayload[] {
    this.turnCompleted = true;
    const total = usageOf(message.usage);
    const before = this.usage;
    this.usage = total;
    const inputTokens = Math.max(0, total.inputTokens - before.inputTokens);
    const outputTokens = Math.max(0, total.outputTokens - before.outputTokens);
    return [
      { type: 'cost', inputTokens, outputTokens },
      {
        type: 'session_ended',
        ...(this.sessionId ? { sessionId: this.sessionId } : {}),
      },
    ];
  }

  private static toolName(item: any): string | undefined {
    if (item.type === 'mcp_tool_call') {
      return `mcp__${item.server}__${item.tool}`;
    }
    return TOOL_NAMES[item.type];
  }

  private static inputOf(item: any): unknown {
    switch (item.type) {
      case 'command_execution':
        return { command: item.command };
      case 'file_change':
        return { changes: item.changes };
      case 'mcp_tool_call':
        return item.arguments;
      case 'web_search':
        return { query: item.query };
      default:
        return undefined;
    }
  }
}
