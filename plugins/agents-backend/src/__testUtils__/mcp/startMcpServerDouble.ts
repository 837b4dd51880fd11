import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { createDoubleServer, DoubleTool } from './createDoubleServer';

export interface McpServerDoubleOptions {
  /** Every request must carry `Authorization: Bearer <token>`; others get a 401. */
  token: string;
  tools: DoubleTool[];
  /** Answer `tools/list` in pages of this many tools. */
  pageSize?: number;
  /** Die (drop every connection, stop listening) when this `tools/list` page is asked for. */
  dieOnToolsListPage?: number;
  /** Hold every authorized request this long before answering it. */
  answerDelayMs?: number;
  /** The status of a request without the token; default 401. */
  rejectStatus?: number;
  /** Put the request's headers into the rejection's body, as careless servers do. */
  echoHeadersOnReject?: boolean;
}

export interface McpServerDouble {
  /** Streamable HTTP endpoint. */
  url: string;
  /** Legacy HTTP+SSE endpoint (GET opens the stream, POSTs go to `/messages`). */
  sseUrl: string;
  /** Each request: method, path and whether it carried the token. */
  requests: { method: string; path: string; authorized: boolean }[];
  stop(): Promise<void>;
}

/**
 * An MCP server on 127.0.0.1 built with the SDK's server classes, over streamable HTTP (stateful
 * sessions) and the legacy HTTP+SSE transport, that answers only requests bearing its token.
 */
export async function startMcpServerDouble(
  options: McpServerDoubleOptions,
): Promise<McpServerDouble> {
  const streams = new Map<string, StreamableHTTPServerTransport>();
  const sseSessions = new Map<string, SSEServerTransport>();
  const requests: McpServerDouble['requests'] = [];
  const stopping = new AbortController();

  const server = http.createServer();
  const die = () => {
    server.closeAllConnections();
    server.close();
  };
  const behaviour = {
    tools: options.tools,
    pageSize: options.pageSize,
    onToolsListPage: (page: number) => {
      if (page === options.dieOnToolsListPage) die();
    },
  };

  async function streamable(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ) {
    const sessionId = req.headers['mcp-session-id'];
    let transport =
      typeof sessionId === 'string' ? streams.get(sessionId) : undefined;
    if (!transport) {
      if (sessionId !== undefined) {
        res.writeHead(404).end('Unknown session');
        return;
      }
      const created = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: id => {
          streams.set(id, created);
        },
      });
      created.onclose = () => {
        if (created.sessionId) streams.delete(created.sessionId);
      };
      await createDoubleServer(behaviour).connect(created);
      transport = created;
    }
    await transport.handleRequest(req, res);
  }

  async function sse(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/sse') {
      const transport = new SSEServerTransport('/messages', res);
      sseSessions.set(transport.sessionId, transport);
      res.on('close', () => sseSessions.delete(transport.sessionId));
      await createDoubleServer(behaviour).connect(transport);
      return;
    }
    const transport = sseSessions.get(url.searchParams.get('sessionId') ?? '');
    if (!transport) {
      res.writeHead(404).end('Unknown session');
      return;
    }
    await transport.handlePostMessage(req, res);
  }

  server.on('request', (req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const authorization = req.headers.authorization;
    const authorized = authorization === `Bearer ${options.token}`;
    requests.push({ method: req.method ?? '', path, authorized });
    if (!authorized) {
      res
        .writeHead(options.rejectStatus ?? 401, {
          'content-type': 'application/json',
          'www-authenticate': 'Bearer realm="mcp-double"',
        })
        .end(
          JSON.stringify({
            error: 'unauthorized',
            ...(options.echoHeadersOnReject ? { received: req.headers } : {}),
          }),
        );
      return;
    }
    const handle = async () => {
      if (options.answerDelayMs) {
        await delay(options.answerDelayMs, undefined, {
          signal: stopping.signal,
        });
      }
      if (path === '/mcp') await streamable(req, res);
      else if (path === '/sse' || path === '/messages') await sse(req, res);
      else res.writeHead(404).end();
    };
    handle().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return {
    url: `${base}/mcp`,
    sseUrl: `${base}/sse`,
    requests,
    async stop() {
      stopping.abort();
      await Promise.all(
        [...streams.values(), ...sseSessions.values()].map(t =>
          t.close().catch(() => {}),
        ),
      );
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}
