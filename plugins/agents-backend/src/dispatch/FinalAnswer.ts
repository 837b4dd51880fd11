import { RunEventPayload } from '@krate/plugin-agents-common';

/** Events after which the agent's text is a new message, not the rest of the last one. */
const WORK_EVENTS = new Set([
  'tool_call',
  'shell_start',
  'file_change',
  'mcp_call',
  'subagent_spawn',
  'approval_requested',
]);

/**
 * The agent's last message of an attempt (its own text, not a subagent's, since its last tool
 * call): what a stack whose write-back mode is `comment` proposes to post.
 */
export class FinalAnswer {
  #text = '';
  #open = false;

  observe(event: RunEventPayload) {
    if (event.type === 'text' && !event.subagentId) {
      if (!this.#open) {
        this.#text = '';
        this.#open = true;
      }
      this.#text += event.text;
    } else if (WORK_EVENTS.has(event.type)) {
      this.#open = false;
    }
  }

  get text(): string {
    return this.#text.trim();
  }
}
