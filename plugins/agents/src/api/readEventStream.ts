/** One server-sent event, or a comment line (`: heartbeat`) as `comment`. */
export type ServerSentMessage =
  | { kind: 'event'; event: string; data: string; id?: string }
  | { kind: 'comment'; text: string };

/**
 * Reads a `text/event-stream` body as the SSE spec frames it: lines end in CRLF, LF or CR,
 * `field: value` lines accumulate until a blank line dispatches, `data` lines join with LF,
 * and an event with no `data` line is not dispatched.
 */
export async function* readEventStream(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<ServerSentMessage> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      let text =
        buffer +
        (done ? decoder.decode() : decoder.decode(value, { stream: true }));
      // A trailing CR may be the first half of a CRLF still in flight.
      const held = !done && text.endsWith('\r') ? '\r' : '';
      if (held) text = text.slice(0, -1);
      const lines = text.split(/\r\n|\r|\n/);
      buffer = done ? '' : `${lines.pop() ?? ''}${held}`;
      for (const line of lines) {
        if (line === '') {
          if (data.length > 0) {
            yield {
              kind: 'event',
              event: event || 'message',
              data: data.join('\n'),
              id,
            };
          }
          event = '';
          data = [];
          continue;
        }
        if (line.startsWith(':')) {
          yield { kind: 'comment', text: line.slice(1).trim() };
          continue;
        }
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        let fieldValue = colon === -1 ? '' : line.slice(colon + 1);
        if (fieldValue.startsWith(' ')) fieldValue = fieldValue.slice(1);
        if (field === 'event') event = fieldValue;
        else if (field === 'data') data.push(fieldValue);
        else if (field === 'id') id = fieldValue;
      }
      if (done) return;
    }
  } finally {
    reader.releaseLock();
  }
}
