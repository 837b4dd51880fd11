import { RunEventPayload, RunEventUsage } from '@krate/plugin-agents-common';
import { CostTally } from './CostTally';
import { DeltaCoalescer } from './DeltaCoalescer';
import { RunEventFrame, RunFinalized } from './gatewayProtocol';
import { OverflowNotices } from './OverflowNotices';

/** Where mapped events go. */
export interface MappedEventSink {
  /** `runtimeSeq` is left out for what sums up many events. */
  emit(event: RunEventPayload, runtimeSeq?: number): void;
  /** A `session_start` named the session. */
  session(sessionId: string): void;
  /** The run's last event. */
  finalized(event: RunFinalized): void;
  /** The kind of a hook the runtime saw a request for. */
  hookKind(hookRequestId: string): string | undefined;
}

interface Tool {
  toolName: string;
  input?: unknown;
  emitted: boolean;
}

const ENVELOPE = new Set(['type', 'runId', 'agent', 'timestamp', 'source']);
const SILENT = new Set([
  'log',
  'turn_start',
  'turn_end',
  'thinking_start',
  'thinking_stop',
  'tool_input_delta',
]);
const WARNINGS: Record<string, string> = {
  rate_limited: 'RateLimited',
  rate_limit_error: 'RateLimited',
  context_limit_warning: 'ContextLimit',
  context_exceeded: 'ContextExceeded',
  retry: 'Retry',
};
const MCP_PHASES: Record<string, 'start' | 'result' | 'error'> = {
  mcp_tool_call_start: 'start',
  mcp_tool_result: 'result',
  mcp_tool_error: 'error',
};

function parseMaybeJson(value: unknown): unknown {
  if (typeof value !== 'string') {
    return value;
  }
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function dataOf(event: Record<string, unknown>) {
  return Object.fromEntries(
    Object.entries(event).filter(([key]) => !ENVELOPE.has(key)),
  );
}

/**
 * Maps one gateway run's events onto the normalized run events, in seq order: deltas are
 * coalesced ({@link DeltaCoalescer}) until the next event that is stored (events it ignores, such
 * as the `log` line the gateway stores between deltas, do not end a chunk), cost totals become
 * increments ({@link CostTally}), tool calls are named from their start, and what has no
 * normalized form is kept as a `runtime_event`.
 */
export class AgentMuxEventMapper {
  readonly #sink: MappedEventSink;
  readonly #deltas: DeltaCoalescer;
  readonly #cost = new CostTally();
  #tools = new Map<string, Tool>();
  #denied = new Set<string>();
  #hookInputs = new Map<string, unknown>();
  #sessionId?: string;
  #truncations = 0;
  #truncatedCount = 0;
  readonly #overflows = new OverflowNotices();

  constructor(sink: MappedEventSink) {
    this.#sink = sink;
    this.#deltas = new DeltaCoalescer((event, seq) => sink.emit(event, seq));
  }

  /** Forgets per-run state before a continuation run of the same session. */
  nextRun(): void {
    this.#deltas.reset();
    this.#tools.clear();
    this.#denied.clear();
    this.#cost.reset();
  }

  /** Counts cost on from the running totals stored before a backend restart. */
  resumeCost(totals: RunEventUsage | undefined): void {
    if (totals) {
      this.#cost.resumeFrom(totals);
    }
  }

  /** A preToolUse hook showed the tool's input (tool events may not carry it). */
  noteToolInput(toolCallId: string, input: unknown): void {
    this.#hookInputs.set(toolCallId, input);
  }

  /** The runtime denied this tool call; a later result means the agent ran it anyway. */
  noteDenied(toolCallId: string): void {
    this.#denied.add(toolCallId);
  }

  map(frame: RunEventFrame): void {
    const { seq, event } = frame;
    if (frame.source === 'gateway') {
      this.#gateway(event, seq);
    } else {
      this.#agent(event, seq);
    }
  }

  /** Emits buffered deltas. */
  flush(): void {
    this.#deltas.flush();
  }

  /** Ends the attempt's mapping: buffered deltas, then one warning for all overflow notices. */
  finish(): void {
    this.flush();
    const warning = this.#overflows.warning();
    if (warning) {
      this.#sink.emit(warning);
    }
  }

  /** Emits after what is buffered, so the log keeps the gateway's order. */
  #emit(payload: RunEventPayload, seq: number) {
    this.flush();
    this.#sink.emit(payload, seq);
  }

  #agent(event: Record<string, any>, seq: number) {
    const type = String(event.type);
    switch (type) {
      case 'text_delta':
        this.#deltas.append('text', event.delta, seq);
        return;
      case 'thinking_delta':
        this.#deltas.append('thinking', event.delta, seq);
        return;
      case 'shell_stdout_delta':
        this.#deltas.append('stdout', event.delta, seq);
        return;
      case 'shell_stderr_delta':
        this.#deltas.append('stderr', event.delta, seq);
        return;
      case 'message_start':
        this.#deltas.messageStart();
        return;
      case 'message_stop':
        this.#deltas.messageStop(text(event.text), seq);
        return;
      default:
    }
    const emit = (payload: RunEventPayload) => this.#emit(payload, seq);
    switch (type) {
      case 'session_start':
        this.#sessionId = String(event.sessionId);
        this.#sink.session(this.#sessionId);
        emit({
          type: 'session_started',
          sessionId: this.#sessionId,
          ...(event.resumed ? { resumed: true } : {}),
        });
        return;
      case 'session_end':
        emit({
          type: 'session_ended',
          ...(this.#sessionId ? { sessionId: this.#sessionId } : {}),
          ...(typeof event.turnCount === 'number'
            ? { turnCount: event.turnCount }
            : {}),
        });
        return;
      case 'tool_call_start':
        this.#toolStart(event, seq);
        return;
      case 'tool_call_ready': {
        const tool = this.#tool(event);
        if (!tool.emitted) {
          tool.input = event.input ?? tool.input;
          this.#emitCall(String(event.toolCallId), tool, seq);
        }
        return;
      }
      case 'tool_result':
      case 'tool_error':
        this.#toolEnd(type, event, seq);
        return;
      case 'shell_start':
        emit({
          type: 'shell_start',
          command: text(event.command),
          ...(event.cwd ? { cwd: String(event.cwd) } : {}),
        });
        return;
      case 'shell_exit':
        emit({
          type: 'shell_exit',
          exitCode: typeof event.exitCode === 'number' ? event.exitCode : null,
          ...(typeof event.durationMs === 'number'
            ? { durationMs: event.durationMs }
            : {}),
        });
        return;
      case 'file_read':
        emit({ type: 'file_read', path: text(event.path) });
        return;
      case 'file_write':
      case 'file_create':
        emit({
          type: 'file_change',
          path: text(event.path),
          change: type === 'file_create' ? 'create' : 'write',
          ...(typeof event.byteCount === 'number'
            ? { byteCount: event.byteCount }
            : {}),
        });
        return;
      case 'file_delete':
        emit({ type: 'file_change', path: text(event.path), change: 'delete' });
        return;
      case 'file_patch':
        emit({
          type: 'file_change',
          path: text(event.path),
          change: 'patch',
          ...(event.diff ? { diff: String(event.diff) } : {}),
        });
        return;
      case 'mcp_tool_call_start':
      case 'mcp_tool_result':
      case 'mcp_tool_error':
        emit({
          type: 'mcp_call',
          phase: MCP_PHASES[type],
          server: text(event.server),
          toolName: text(event.toolName),
          toolCallId: text(event.toolCallId),
          ...(event.input === undefined ? {} : { input: event.input }),
          ...(event.output === undefined ? {} : { output: event.output }),
          ...(event.error === undefined ? {} : { error: String(event.error) }),
        });
        return;
      case 'subagent_spawn':
        emit({
          type: 'subagent_spawn',
          subagentId: text(event.subagentId),
          agentName: text(event.agentName),
          ...(typeof event.prompt === 'string' ? { prompt: event.prompt } : {}),
        });
        return;
      case 'subagent_result':
        emit({
          type: 'subagent_result',
          subagentId: text(event.subagentId),
          ...(typeof event.summary === 'string'
            ? { summary: event.summary }
            : {}),
        });
        return;
      case 'subagent_error':
        emit({
          type: 'subagent_error',
          subagentId: text(event.subagentId),
          error: text(event.error) || text(event.message) || 'subagent failed',
        });
        return;
      case 'cost': {
        const increment = this.#cost.next(event.cost ?? {});
        if (increment) {
          emit({ type: 'cost', ...increment, runTotal: this.#cost.totals });
        }
        return;
      }
      case 'error':
        emit({
          type: 'error',
          ...(event.code ? { code: String(event.code) } : {}),
          message: text(event.message) || 'agent error',
          ...(typeof event.recoverable === 'boolean'
            ? { recoverable: event.recoverable }
            : {}),
        });
        return;
      case 'crash':
        emit({
          type: 'error',
          code: 'Crash',
          message: `The agent process crashed (exit ${
            event.exitCode ?? 'unknown'
          })${event.stderr ? `: ${text(event.stderr).slice(0, 2000)}` : ''}`,
          recoverable: false,
        });
        return;
      case 'auth_error':
        emit({
          type: 'error',
          code: 'AuthError',
          message: text(event.message) || 'The agent could not authenticate',
          recoverable: false,
        });
        return;
      case 'debug':
        if (this.#overflows.note(text(event.message))) {
          return;
        }
        break;
      default:
        if (SILENT.has(type)) {
          return;
        }
        if (WARNINGS[type]) {
          emit({
            type: 'warning',
            code: WARNINGS[type],
            message: text(event.message) || type,
          });
          return;
        }
    }
    emit({ type: 'runtime_event', runtimeType: type, data: dataOf(event) });
  }

  #tool(event: Record<string, any>): Tool {
    const id = String(event.toolCallId);
    let tool = this.#tools.get(id);
    if (!tool) {
      tool = {
        toolName: text(event.toolName),
        input: this.#hookInputs.get(id),
        emitted: false,
      };
      this.#tools.set(id, tool);
    }
    return tool;
  }

  #toolStart(event: Record<string, any>, seq: number) {
    const tool = this.#tool(event);
    const input =
      parseMaybeJson(event.inputAccumulated) ?? event.input ?? tool.input;
    tool.input = input;
    if (input !== undefined && !tool.emitted) {
      this.#emitCall(String(event.toolCallId), tool, seq);
    }
  }

  #emitCall(toolCallId: string, tool: Tool, seq: number) {
    tool.emitted = true;
    this.#emit(
      {
        type: 'tool_call',
        toolCallId,
        toolName: tool.toolName,
        ...(tool.input === undefined ? {} : { input: tool.input }),
      },
      seq,
    );
  }

  #toolEnd(type: string, event: Record<string, any>, seq: number) {
    const toolCallId = String(event.toolCallId);
    const tool = this.#tool(event);
    if (!tool.emitted) {
      this.#emitCall(toolCallId, tool, seq);
    }
    const toolName = tool.toolName || text(event.toolName);
    if (type === 'tool_error') {
      this.#emit(
        {
          type: 'tool_result',
          toolCallId,
          toolName,
          output: text(event.error) || 'tool failed',
          isError: true,
        },
        seq,
      );
      return;
    }
    if (this.#denied.has(toolCallId)) {
      this.#emit(
        {
          type: 'warning',
          code: 'ApprovalNotEnforced',
          message: `${toolName} (${toolCallId}) ran although it was denied: Agent Mux hooks are advisory for this agent`,
        },
        seq,
      );
    }
    this.#emit(
      {
        type: 'tool_result',
        toolCallId,
        toolName,
        ...(event.output === undefined ? {} : { output: event.output }),
        ...(typeof event.durationMs === 'number'
          ? { durationMs: event.durationMs }
          : {}),
      },
      seq,
    );
  }

  #gateway(event: Record<string, any>, seq: number) {
    const emit = (payload: RunEventPayload) => this.#emit(payload, seq);
    switch (event.type) {
      case 'user_message':
        return;
      case 'run.finalized':
        if (this.#truncations > 1) {
          emit({
            type: 'warning',
            code: 'GatewayTruncated',
            message: `The gateway truncated this run's stored events ${
              this.#truncations
            } times (${this.#truncatedCount} events in all)`,
          });
        }
        this.flush();
        this.#sink.finalized(event as RunFinalized);
        return;
      case 'hook_decision': {
        const kind =
          event.hookKind ?? this.#sink.hookKind(String(event.hookRequestId));
        const failedOpen =
          event.decision === 'allow' &&
          (event.resolvedBy === 'fallback' || event.resolvedBy === 'timeout');
        if (failedOpen && kind !== 'userPromptSubmit') {
          emit({
            type: 'warning',
            code: 'HookFailedOpen',
            message: `The gateway allowed a ${
              kind ?? 'hook'
            } without the backend's decision (${
              event.resolvedBy
            }): approvals on Agent Mux are advisory`,
          });
        }
        return;
      }
      case 'gateway.notification':
        if (event.code === 'hook_zero_subscribers') {
          return;
        }
        if (event.code === 'events_truncated') {
          this.#truncations += 1;
          this.#truncatedCount += Number(event.droppedCount) || 0;
          if (this.#truncations === 1) {
            emit({
              type: 'warning',
              code: 'GatewayTruncated',
              message: `The gateway hit its per-run event cap and dropped its ${
                Number(event.droppedCount) || 0
              } oldest stored events (it now holds seq ${event.headSeq}–${
                event.tailSeq
              }); a reconnect may not replay them`,
            });
          }
          return;
        }
        break;
      default:
    }
    emit({
      type: 'runtime_event',
      runtimeType: `gateway/${String(event.type)}`,
      data: dataOf(event),
    });
  }
}
