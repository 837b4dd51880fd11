import { readEventStream, ServerSentMessage } from './readEventStream';

function streamOf(chunks: string[]) {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function collect(chunks: string[]) {
  const messages: ServerSentMessage[] = [];
  for await (const message of readEventStream(streamOf(chunks))) {
    messages.push(message);
  }
  return messages;
}

describe('readEventStream', () => {
  it('frames events across chunk boundaries, CRLF split included', async () => {
    expect(
      await collect([
        'id: 1\r',
        '\nevent: run-event\r\ndata: {"seq"',
        ':1}\r\n\r',
        '\n: heartbeat 1\n\nevent: end\ndata: {"lastSeq":1}\n\n',
      ]),
    ).toEqual([
      { kind: 'event', event: 'run-event', data: '{"seq":1}', id: '1' },
      { kind: 'comment', text: 'heartbeat 1' },
      { kind: 'event', event: 'end', data: '{"lastSeq":1}', id: '1' },
    ]);
  });

  it('joins data lines, defaults the event name and drops an unterminated event', async () => {
    expect(
      await collect(['data: a\ndata:b\n\n', 'event: x\ndata: cut']),
    ).toEqual([
      { kind: 'event', event: 'message', data: 'a\nb', id: undefined },
    ]);
  });
});
