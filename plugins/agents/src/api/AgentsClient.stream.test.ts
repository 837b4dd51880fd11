/**
 * @jest-environment node
 */
// This suite runs in Node against a real HTTP server streaming like the backend does.
// eslint-disable-next-line no-restricted-imports
import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
// eslint-disable-next-line no-restricted-imports
import { AddressInfo } from 'net';
import { RunEvent } from '@krate/plugin-agents-common';
import { AgentsClient } from './AgentsClient';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A local HTTP server answering like the backend's `GET /runs/:run/events` stream. */
async function serve(handler: Handler) {
  const server: Server = createServer(handler);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new AgentsClient({
    discoveryApi: {
      getBaseUrl: async id => `http://127.0.0.1:${port}/api/${id}`,
    },
    fetchApi: { fetch: (input, init) => fetch(input, init) },
  });
  return {
    client,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const event = (seq: number, text: string): RunEvent => ({
  type: 'text',
  text,
  seq,
  attempt: 'run-1-1',
  time: '2026-01-01T00:00:00.000Z',
});

const sse = (e: RunEvent) =>
  `id: ${e.seq}\nevent: run-event\ndata: ${JSON.stringify(e)}\n\n`;

describe('AgentsClient.streamRunEvents', () => {
  it('asks for the stream after a seq, delivers history and live events, and returns the end', async () => {
    const requests: { url?: string; accept?: string }[] = [];
    const { client, close } = await serve((req, res) => {
      requests.push({ url: req.url, accept: req.headers.accept });
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sse(event(3, 'history')));
      setTimeout(() => res.write(': heartbeat 3\n\n'), 20);
      setTimeout(() => res.write(sse(event(4, 'live'))), 40);
      setTimeout(
        () =>
          res.end(
            `event: end\ndata: ${JSON.stringify({
              lastSeq: 4,
              phase: 'Succeeded',
            })}\n\n`,
          ),
        60,
      );
    });
    try {
      const seen: string[] = [];
      let activity = 0;
      let opened = false;
      const end = await client.streamRunEvents('run-1', {
        namespace: 'acme',
        sinceSeq: 2,
        onOpen: () => {
          opened = true;
        },
        onEvent: e => seen.push(`${e.seq}:${e.type === 'text' && e.text}`),
        onActivity: () => activity++,
      });
      expect(requests).toEqual([
        {
          url: '/api/agents/runs/run-1/events?namespace=acme&sinceSeq=2',
          accept: 'text/event-stream',
        },
      ]);
      expect(opened).toBe(true);
      expect(seen).toEqual(['3:history', '4:live']);
      expect(activity).toBe(4);
      expect(end).toEqual({ lastSeq: 4, phase: 'Succeeded' });
    } finally {
      await close();
    }
  });

  it('resolves undefined when the connection closes before the end event', async () => {
    const { client, close } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(sse(event(1, 'only')));
    });
    try {
      const seen: number[] = [];
      await expect(
        client.streamRunEvents('run-1', {
          sinceSeq: 0,
          onEvent: e => seen.push(e.seq),
        }),
      ).resolves.toBeUndefined();
      expect(seen).toEqual([1]);
    } finally {
      await close();
    }
  });

  it('rejects with the backend error when the run does not exist', async () => {
    const { client, close } = await serve((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: {
            name: 'NotFoundError',
            message: 'AgentDispatchRun x not found',
          },
          response: { statusCode: 404 },
        }),
      );
    });
    try {
      await expect(
        client.streamRunEvents('x', { sinceSeq: 0, onEvent: () => {} }),
      ).rejects.toMatchObject({
        statusCode: 404,
        body: { error: { message: 'AgentDispatchRun x not found' } },
      });
    } finally {
      await close();
    }
  });

  it('stops reading when the signal aborts', async () => {
    const { client, close } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sse(event(1, 'first')));
    });
    try {
      const controller = new AbortController();
      const done = client.streamRunEvents('run-1', {
        sinceSeq: 0,
        signal: controller.signal,
        onEvent: () => controller.abort(),
      });
      await expect(done).rejects.toMatchObject({ name: 'AbortError' });
    } finally {
      await close();
    }
  });
});
