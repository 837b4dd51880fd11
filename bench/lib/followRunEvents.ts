/**
 * Follows a run's server-sent events the way EventSource does: on a broken connection it
 * reconnects (here to whichever replica is up) with Last-Event-ID set to the last `id:` it saw,
 * until the stream sends its `end` event.
 */
export async function followRunEvents(options: {
  urls: () => string[];
  token: string;
  onEvent: (seq: number) => void;
}): Promise<void> {
  let lastId: string | undefined;
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const urls = options.urls();
    const url = urls[attempt % Math.max(1, urls.length)];
    if (!url) {
      await new Promise(r => setTimeout(r, 100));
      continue;
    }
    try {
      const response = await fetch(url, {
        headers: {
          authorization: `Bearer ${options.token}`,
          accept: 'text/event-stream',
          ...(lastId ? { 'last-event-id': lastId } : {}),
        },
      });
      if (!response.ok || !response.body) {
        throw new Error(`${response.status}`);
      }
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = new Map<string, string>();
          for (const line of message.split('\n')) {
            const colon = line.indexOf(':');
            if (colon > 0) {
              fields.set(
                line.slice(0, colon),
                line.slice(colon + 1).trimStart(),
              );
            }
          }
          if (fields.get('event') === 'end') return;
          const id = fields.get('id');
          if (fields.get('event') === 'run-event' && id !== undefined) {
            lastId = id;
            options.onEvent(Number(id));
          }
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // The replica went away mid-stream: reconnect below.
    }
    await new Promise(r => setTimeout(r, 50));
  }
}
