import { AgentEventInput } from './Harness';

/** A stdout line of a harness and the AgentEvents the adapter parses from it. */
export interface PrintedLine {
  line: string;
  events: AgentEventInput[];
}

/**
 * The lines Claude Code prints for one streamed answer and what Agent Mux's Claude adapter makes
 * of them: a text delta per `content_block_delta`, an empty `message_stop` from the stream, no
 * event for the `assistant` line, and a `message_stop` with the whole text from the `result`.
 */
export function claudeLines(text: string, chunks: number): PrintedLine[] {
  const lines: PrintedLine[] = [];
  const size = Math.max(1, Math.ceil(text.length / chunks));
  for (let at = 0; at < text.length; at += size) {
    const delta = text.slice(at, at + size);
    lines.push({
      line: JSON.stringify({
        type: 'stream_event',
        event: {
          type: 'content_block_delta',
          index: 0,
          delta: { type: 'text_delta', text: delta },
        },
      }),
      events: [{ type: 'text_delta', delta, accumulated: delta }],
    });
  }
  lines.push(
    {
      line: JSON.stringify({
        type: 'stream_event',
        event: { type: 'message_stop' },
      }),
      events: [{ type: 'message_stop', text: '' }],
    },
    {
      line: JSON.stringify({
        type: 'assistant',
        message: { content: [{ type: 'text', text }] },
      }),
      events: [],
    },
    {
      line: JSON.stringify({
        type: 'result',
        subtype: 'success',
        result: text,
      }),
      events: [{ type: 'message_stop', text }],
    },
  );
  return lines;
}
