import { AgentActionRequest } from '@krate/plugin-agents-node';

/** The tool a preToolUse hook asks about, from either of Agent Mux's hook paths. */
export interface HookedTool {
  toolCallId?: string;
  toolName: string;
  input: unknown;
}

const SHELL_TOOLS =
  /^(bash|shell|local_shell|exec_command|run_shell_command|execute_command)$/i;
const TARGET_FIELDS = [
  'command',
  'cmd',
  'file_path',
  'filePath',
  'notebook_path',
  'path',
  'url',
  'pattern',
];

function parseInput(input: unknown): unknown {
  if (typeof input !== 'string') {
    return input;
  }
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
}

function pick(source: Record<string, any>, ...keys: string[]): unknown {
  return keys.map(key => source[key]).find(value => value !== undefined);
}

/**
 * Reads a preToolUse payload: the stream-derived one (`{sessionId, toolCallId, toolName,
 * input}` with `input` a JSON string) or Claude's native hook JSON (`tool_name`, `tool_input`,
 * `tool_use_id`), at the top level or under `input`.
 */
export function parseToolHook(payload: Record<string, any>): HookedTool {
  const nested =
    payload.input &&
    typeof payload.input === 'object' &&
    'tool_name' in payload.input
      ? (payload.input as Record<string, any>)
      : undefined;
  const source = nested ?? payload;
  const toolCallId =
    pick(source, 'toolCallId', 'tool_use_id') ?? pick(payload, 'toolCallId');
  return {
    ...(typeof toolCallId === 'string' && toolCallId ? { toolCallId } : {}),
    toolName: String(pick(source, 'toolName', 'tool_name') ?? 'unknown'),
    input: parseInput(
      nested ? nested.tool_input : pick(source, 'input', 'tool_input'),
    ),
  };
}

/** The action a tool call asks for: shell for shell tools, tool otherwise. */
export function toolAction(
  tool: HookedTool,
  interactionId: string,
): AgentActionRequest {
  const input =
    tool.input && typeof tool.input === 'object'
      ? (tool.input as Record<string, unknown>)
      : {};
  const field = TARGET_FIELDS.find(
    key => typeof input[key] === 'string' || Array.isArray(input[key]),
  );
  const value = field ? input[field] : undefined;
  return {
    actionClass: SHELL_TOOLS.test(tool.toolName) ? 'shell' : 'tool',
    target: Array.isArray(value)
      ? value.map(String).join(' ')
      : (value as string | undefined) ?? tool.toolName,
    toolName: tool.toolName,
    detail: tool.input,
    interactionId,
  };
}
