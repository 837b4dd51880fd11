import { RunEvent } from '@krate/plugin-agents-common';

type EventOf<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;

export interface ShellGroup {
  start?: EventOf<'shell_start'>;
  output: EventOf<'shell_output'>[];
  exit?: EventOf<'shell_exit'>;
}

export type TranscriptItem =
  | { kind: 'attempt'; key: string; attempt: string }
  | {
      kind: 'message';
      key: string;
      event: EventOf<'text'> | EventOf<'thinking'>;
    }
  | {
      kind: 'tool';
      key: string;
      toolCallId: string;
      toolName: string;
      call?: EventOf<'tool_call'>;
      result?: EventOf<'tool_result'>;
      shell?: ShellGroup;
    }
  | { kind: 'shell'; key: string; shell: ShellGroup }
  | {
      kind: 'mcp';
      key: string;
      toolCallId: string;
      events: EventOf<'mcp_call'>[];
    }
  | {
      kind: 'subagent';
      key: string;
      subagentId: string;
      spawn?: EventOf<'subagent_spawn'>;
      end?: EventOf<'subagent_result'> | EventOf<'subagent_error'>;
      items: TranscriptItem[];
    }
  | {
      kind: 'event';
      key: string;
      event: RunEvent;
      /** An `attempt_phase` a later one replaced: history, no longer the live state. */
      superseded?: boolean;
    };

type ToolItem = Extract<TranscriptItem, { kind: 'tool' }>;
type SubagentItem = Extract<TranscriptItem, { kind: 'subagent' }>;

/**
 * Turns the flat event log into what a reader follows: a marker where each attempt starts, tool
 * calls paired with their results (by toolCallId) and the shell session they ran, MCP calls with
 * their outcome, each subagent's events nested under the subagent that produced them, and every
 * phase but the latest marked as superseded.
 */
export function buildTranscript(events: RunEvent[]): TranscriptItem[] {
  const root: TranscriptItem[] = [];
  const tools = new Map<string, ToolItem>();
  const mcp = new Map<string, Extract<TranscriptItem, { kind: 'mcp' }>>();
  const subagents = new Map<string, SubagentItem>();
  let openShell: ShellGroup | undefined;
  let attempt: string | undefined;
  let lastPhase: Extract<TranscriptItem, { kind: 'event' }> | undefined;

  const subagentOf = (id: string, seq: number) => {
    let lane = subagents.get(id);
    if (!lane) {
      lane = {
        kind: 'subagent',
        key: `subagent-${seq}`,
        subagentId: id,
        items: [],
      };
      subagents.set(id, lane);
      root.push(lane);
    }
    return lane;
  };
  const containerOf = (event: RunEvent) =>
    'subagentId' in event &&
    event.subagentId &&
    !event.type.startsWith('subagent_')
      ? subagentOf(event.subagentId, event.seq).items
      : root;
  const toolOf = (
    id: string,
    name: string,
    seq: number,
    into: TranscriptItem[],
  ) => {
    let tool = tools.get(id);
    if (!tool) {
      tool = {
        kind: 'tool',
        key: `tool-${seq}`,
        toolCallId: id,
        toolName: name,
      };
      tools.set(id, tool);
      into.push(tool);
    }
    return tool;
  };
  const shellFor = (toolCallId: string | undefined, seq: number) => {
    const tool = toolCallId ? tools.get(toolCallId) : undefined;
    if (tool) {
      tool.shell ??= { output: [] };
      return tool.shell;
    }
    if (!openShell) {
      openShell = { output: [] };
      root.push({ kind: 'shell', key: `shell-${seq}`, shell: openShell });
    }
    return openShell;
  };

  for (const event of events) {
    if (event.attempt !== attempt) {
      attempt = event.attempt;
      root.push({ kind: 'attempt', key: `attempt-${event.seq}`, attempt });
    }
    const into = containerOf(event);
    switch (event.type) {
      case 'text':
      case 'thinking':
        into.push({ kind: 'message', key: `m-${event.seq}`, event });
        break;
      case 'tool_call':
        toolOf(event.toolCallId, event.toolName, event.seq, into).call = event;
        break;
      case 'tool_result':
        toolOf(event.toolCallId, event.toolName, event.seq, into).result =
          event;
        break;
      case 'shell_start': {
        const tool = event.toolCallId ? tools.get(event.toolCallId) : undefined;
        if (!tool) {
          openShell = { start: event, output: [] };
          root.push({
            kind: 'shell',
            key: `shell-${event.seq}`,
            shell: openShell,
          });
        } else {
          tool.shell = { start: event, output: [] };
        }
        break;
      }
      case 'shell_output':
        shellFor(event.toolCallId, event.seq).output.push(event);
        break;
      case 'shell_exit': {
        const shell = shellFor(event.toolCallId, event.seq);
        shell.exit = event;
        if (shell === openShell) openShell = undefined;
        break;
      }
      case 'mcp_call': {
        let call = mcp.get(event.toolCallId);
        if (!call) {
          call = {
            kind: 'mcp',
            key: `mcp-${event.seq}`,
            toolCallId: event.toolCallId,
            events: [],
          };
          mcp.set(event.toolCallId, call);
          into.push(call);
        }
        call.events.push(event);
        break;
      }
      case 'subagent_spawn':
        subagentOf(event.subagentId, event.seq).spawn = event;
        break;
      case 'subagent_result':
      case 'subagent_error':
        subagentOf(event.subagentId, event.seq).end = event;
        break;
      case 'attempt_phase': {
        if (lastPhase) lastPhase.superseded = true;
        lastPhase = { kind: 'event', key: `e-${event.seq}`, event };
        into.push(lastPhase);
        break;
      }
      default:
        into.push({ kind: 'event', key: `e-${event.seq}`, event });
    }
  }
  return root;
}
