import { AgentActionRequest } from '@krate/plugin-agents-node';
import { PreToolUseInput } from '../ApprovalHookServer';

const TARGET_FIELDS = [
  'command',
  'file_path',
  'notebook_path',
  'path',
  'url',
  'pattern',
];

/** The action a Claude Code tool call asks for: shell for Bash, tool otherwise. */
export function claudeToolAction(input: PreToolUseInput): AgentActionRequest {
  const toolInput = input.tool_input ?? {};
  const field = TARGET_FIELDS.find(f => typeof toolInput[f] === 'string');
  return {
    actionClass: input.tool_name === 'Bash' ? 'shell' : 'tool',
    target: field ? String(toolInput[field]) : input.tool_name,
    toolName: input.tool_name,
    detail: toolInput,
    ...(input.tool_use_id ? { interactionId: input.tool_use_id } : {}),
  };
}
