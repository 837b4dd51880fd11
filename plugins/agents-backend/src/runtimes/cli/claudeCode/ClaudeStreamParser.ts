import { RunEventPayload } from '@krate/plugin-agents-common';

/** The last `result` line of a Claude Code run, as far as the outcome needs it. */
export interface ClaudeResult {
  subtype: string;
  isError: boolean;
  terminalReason?: string;
  apiErrorStatus?: number;
  result?: string;
  errors?: string[];
}

interface ToolUse {
  name: string;
  input: Record<string, any>;
  startedAt: number;
}

const FILE_TOOLS = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']);
const SUBAGENT_TOOLS = new Set(['Task', 'Agent']);

function textOf(content: unknown): string {
  if (typeof content === 'string') {
    return content;
  }
  if (Array.isArray(content)) {
    return content
      .map(part => (typeof part?.text === 'string' ? part.text : ''))
      .filter(Boolean)
      .join('\n');
  }
  return '';
}

function mcpParts(toolName: string) {
  const match = /^mcp__(.+?)__(.+)$/.exec(toolName);
  return match ? { server: match[1], toolName: match[2] } : undefined;
}

/**
 * Turns the NDJSON of `claude -p --output-format stream-json --verbose` into normalized run
 * events, one line at a time. It remembers tool calls to name their results, time them and
 * derive shell, file and subagent events, and keeps the session id and the final result.
 */
export class ClaudeStreamParser {
  sessionId?: string;
  result?: ClaudeResult;
  readonly #tools = new Map<string, ToolUse>();
  readonly #resumed: boolean;

  constructor(options: { resumed?: boolean } = {}) {
    this.#resumed = options.resumed ?? false;
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
          message: `Claude Code printed a line that is not JSON: ${line.slice(
            0,
            500,
          )}`,
        },
      ];
    }
    switch (message?.type) {
      case 'system':
        return this.#system(message);
      case 'assistant':
        return this.#assistant(message);
      case 'user':
        return this.#user(message);
      case 'result':
        return this.#result(message);
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

  #system(message: any): RunEventPayload[] {
    if (message.subtype === 'init' && typeof message.session_id === 'string') {
      if (this.sessionId === message.session_id) {
        return [];
      }
      this.sessionId = message.session_id;
      return [
        {
          type: 'session_started',
          sessionId: message.session_id,
          ...(this.#resumed ? { resumed: true } : {}),
        },
      ];
    }
    return [
      {
        type: 'runtime_event',
        runtimeType: `system/${message.subtype ?? 'unknown'}`,
        data: message,
      },
    ];
  }

  #assistant(message: any): RunEventPayload[] {
    const subagentId = message.parent_tool_use_id ?? undefined;
    const scope = subagentId ? { subagentId } : {};
    const events: RunEventPayload[] = [];
    for (const block of message.message?.content ?? []) {
      if (block?.type === 'text' && block.text) {
        events.push({ type: 'text', text: block.text, ...scope });
      } else if (block?.type === 'thinking' && block.thinking) {
        events.push({ type: 'thinking', text: block.thinking, ...scope });
      } else if (block?.type === 'tool_use') {
        events.push(...this.#toolUse(block, scope));
      } else {
        events.push({
          type: 'runtime_event',
          runtimeType: `assistant/${block?.type ?? 'unknown'}`,
          data: block,
        });
      }
    }
    if (message.error) {
      events.push({
        type: 'error',
        code: String(message.error),
        message: textOf(message.message?.content) || String(message.error),
        recoverable: true,
      });
    }
    return events;
  }

  #toolUse(block: any, scope: { subagentId?: string }): RunEventPayload[] {
    const name = String(block.name);
    const input = (block.input ?? {}) as Record<string, any>;
    const id = String(block.id);
    this.#tools.set(id, { name, input, startedAt: Date.now() });
    const events: RunEventPayload[] = [
      { type: 'tool_call', toolCallId: id, toolName: name, input, ...scope },
    ];
    const mcp = mcpParts(name);
    if (name === 'Bash' && typeof input.command === 'string') {
      events.push({
        type: 'shell_start',
        command: input.command,
        toolCallId: id,
      });
    } else if (SUBAGENT_TOOLS.has(name)) {
      events.push({
        type: 'subagent_spawn',
        subagentId: id,
        agentName: String(input.subagent_type ?? input.description ?? name),
        ...(typeof input.prompt === 'string' ? { prompt: input.prompt } : {}),
      });
    } else if (mcp) {
      events.push({
        type: 'mcp_call',
        phase: 'start',
        ...mcp,
        toolCallId: id,
        input,
      });
    }
    return events;
  }

  #user(message: any): RunEventPayload[] {
    const content = message.message?.content;
    if (!Array.isArray(content)) {
      return [{ type: 'runtime_event', runtimeType: 'user', data: message }];
    }
    const subagentId = message.parent_tool_use_id ?? undefined;
    const events: RunEventPayload[] = [];
    for (const block of content) {
      if (block?.type !== 'tool_result') {
        events.push({
          type: 'runtime_event',
          runtimeType: `user/${block?.type}`,
          data: block,
        });
        continue;
      }
      events.push(
        ...this.#toolResult(block, message.tool_use_result, subagentId),
      );
    }
    return events;
  }

  #toolResult(
    block: any,
    detail: any,
    subagentId: string | undefined,
  ): RunEventPayload[] {
    const id = String(block.tool_use_id);
    const tool = this.#tools.get(id);
    const name = tool?.name ?? 'unknown';
    const output = textOf(block.content);
    const isError = block.is_error === true;
    const durationMs = tool ? Date.now() - tool.startedAt : undefined;
    const events: RunEventPayload[] = [];
    if (name === 'Bash') {
      events.push(
        ...ClaudeStreamParser.shellEvents(
          id,
          output,
          isError,
          detail,
          durationMs,
        ),
      );
    } else if (FILE_TOOLS.has(name) && !isError && tool) {
      events.push(ClaudeStreamParser.fileChange(name, tool.input, detail));
    } else if (SUBAGENT_TOOLS.has(name)) {
      events.push(
        isError
          ? { type: 'subagent_error', subagentId: id, error: output }
          : { type: 'subagent_result', subagentId: id, summary: output },
      );
    }
    const mcp = mcpParts(name);
    if (mcp) {
      events.push(
        isError
          ? {
              type: 'mcp_call',
              phase: 'error',
              ...mcp,
              toolCallId: id,
              error: output,
            }
          : {
              type: 'mcp_call',
              phase: 'result',
              ...mcp,
              toolCallId: id,
              output,
            },
      );
    }
    events.push({
      type: 'tool_result',
      toolCallId: id,
      toolName: name,
      output,
      ...(isError ? { isError } : {}),
      ...(durationMs === undefined ? {} : { durationMs }),
      ...(subagentId ? { subagentId } : {}),
    });
    this.#tools.delete(id);
    return events;
  }

  private static shellEvents(
    toolCallId: string,
    output: string,
    isError: boolean,
    detail: any,
    durationMs: number | undefined,
  ): RunEventPayload[] {
    const events: RunEventPayload[] = [];
    if (detail && typeof detail === 'object') {
      for (const stream of ['stdout', 'stderr'] as const) {
        if (typeof detail[stream] === 'string' && detail[stream]) {
          events.push({
            type: 'shell_output',
            stream,
            text: detail[stream],
            toolCallId,
          });
        }
      }
    }
    const exitCode = /^Exit code (\d+)/.exec(output);
    // A denied or refused command never ran: there is no exit to report.
    if (exitCode || !isError) {
      events.push({
        type: 'shell_exit',
        exitCode: exitCode ? Number(exitCode[1]) : 0,
        toolCallId,
        ...(durationMs === undefined ? {} : { durationMs }),
      });
    }
    return events;
  }

  private static fileChange(
    name: string,
    input: Record<string, any>,
    detail: any,
  ): RunEventPayload {
    const path = String(
      input.file_path ?? input.notebook_path ?? detail?.filePath ?? '',
    );
    if (name === 'Write') {
      return {
        type: 'file_change',
        path,
        change: detail?.type === 'create' ? 'create' : 'write',
        ...(typeof input.content === 'string'
          ? { byteCount: Buffer.byteLength(input.content) }
          : {}),
      };
    }
    const hunks = Array.isArray(detail?.structuredPatch)
      ? detail.structuredPatch
      : [];
    const diff = hunks
      .map(
        (hunk: any) =>
          `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${
            hunk.newLines
          } @@\n${(hunk.lines ?? []).join('\n')}`,
      )
      .join('\n');
    return {
      type: 'file_change',
      path,
      change: 'patch',
      ...(diff ? { diff } : {}),
    };
  }

  #result(message: any): RunEventPayload[] {
    this.result = {
      subtype: String(message.subtype),
      isError: message.is_error === true,
      terminalReason: message.terminal_reason,
      apiErrorStatus: message.api_error_status ?? undefined,
      result: typeof message.result === 'string' ? message.result : undefined,
      errors: Array.isArray(message.errors)
        ? message.errors.map(String)
        : undefined,
    };
    if (typeof message.session_id === 'string' && !this.sessionId) {
      this.sessionId = message.session_id;
    }
    const events: RunEventPayload[] = [];
    const usage = ClaudeStreamParser.usage(message);
    if (usage) {
      events.push({ type: 'cost', ...usage });
    }
    for (const denial of message.permission_denials ?? []) {
      events.push({
        type: 'runtime_event',
        runtimeType: 'permission_denial',
        data: denial,
      });
    }
    events.push({
      type: 'session_ended',
      ...(this.sessionId ? { sessionId: this.sessionId } : {}),
      ...(typeof message.num_turns === 'number'
        ? { turnCount: message.num_turns }
        : {}),
    });
    return events;
  }

  /**
   * The cost of this run. `total_cost_usd` adds up the whole session (a resumed one included),
   * while `model_usage_since_last_result` holds only this run's share; tokens are this run's.
   */
  private static usage(message: any) {
    const since = message.model_usage_since_last_result;
    let usd: number | undefined;
    if (since && typeof since === 'object') {
      usd = Object.values<any>(since).reduce(
        (sum, model) => sum + (Number(model?.costUSD) || 0),
        0,
      );
    } else if (typeof message.total_cost_usd === 'number') {
      usd = message.total_cost_usd;
    }
    const usage = message.usage ?? {};
    const inputTokens =
      (Number(usage.input_tokens) || 0) +
      (Number(usage.cache_creation_input_tokens) || 0) +
      (Number(usage.cache_read_input_tokens) || 0);
    const outputTokens = Number(usage.output_tokens) || 0;
    if (usd === undefined && !inputTokens && !outputTokens) {
      return undefined;
    }
    return {
      ...(usd === undefined ? {} : { usd }),
      inputTokens,
      outputTokens,
    };
  }
}
