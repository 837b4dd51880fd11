import { AgentActionRequest } from '@krate/plugin-agents-node';
import { PreToolUseInput } from '../ApprovalHookServer';

const PATCH_FILE = /^\*\*\* (?:Add|Update|Delete) File: (.+)$/gm;

/**
 * The action a Codex tool call asks for. Codex names its shell tool `Bash` in hooks and passes
 * the command line; `apply_patch` passes the patch, whose file headers name the targets.
 */
export function codexToolAction(input: PreToolUseInput): AgentActionRequest {
  const toolInput = input.tool_input ?? {};
  const command =
    typeof toolInput.command === 'string' ? toolInput.command : undefined;
  let target = command ?? input.tool_name;
  if (input.tool_name === 'apply_patch' && command) {
    const files = [...command.matchAll(PATCH_FILE)].map(m => m[1].trim());
    target = files.length ? files.join(', ') : input.tool_name;
  }
  return {
    actionClass: input.tool_name === 'Bash' ? 'shell' : 'tool',
    target,
    toolName: input.tool_name,
    detail: toolInput,
    ...(input.tool_use_id ? { interactionId: input.tool_use_id } : {}),
  };
}
