/*
 * Test double for the LLM provider only. The Claude Code and Codex CLIs run for real in the
 * tests; they cannot reach a real model here, so these loopback servers speak the providers'
 * wire formats and play a script the test gives, turn by turn.
 */
import http from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import zlib from 'node:zlib';

/** A tool call the fake model makes. */
export interface FakeToolCall {
  name: string;
  /** JSON arguments; a string is the raw input of a freeform tool (Codex's apply_patch). */
  input: Record<string, unknown> | string;
  /** The call id; generated when unset. */
  id?: string;
  /**
   * Responses API: the tool namespace the called tool belongs to. Codex offers each MCP server
   * as a namespace (`mcp__<server>`) and routes a call to the server only when it names it.
   */
  namespace?: string;
}

/** One model answer: what a single request to the provider gets back. */
export interface FakeTurn {
  thinking?: string;
  text?: string;
  toolCalls?: FakeToolCall[];
  usage?: { inputTokens: number; outputTokens: number };
  /** Start the answer, then never finish it: the CLI waits until it is stopped. */
  stall?: boolean;
  /** Answer with this HTTP error instead of a message. */
  httpError?: { status: number; message: string };
}

/** A request the fake received, body decoded. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any;
}

const DEFAULT_USAGE = { inputTokens: 120, outputTokens: 30 };

function decode(raw: Buffer, encoding: string | undefined): Buffer {
  switch (encoding) {
    case 'gzip':
      return zlib.gunzipSync(raw);
    case 'deflate':
      return zlib.inflateSync(raw);
    case 'br':
      return zlib.brotliDecompressSync(raw);
    case 'zstd':
      return zlib.zstdDecompressSync(raw);
    default:
      return raw;
  }
}

/**
 * The HTTP side shared by the fake providers: a server on 127.0.0.1, the request log, the
 * script cursor, and a close that also drops stalled connections.
 */
export abstract class FakeModelServer {
  readonly requests: RecordedRequest[] = [];
  readonly #turns: FakeTurn[];
  readonly #sockets = new Set<Socket>();
  readonly #server: http.Server;
  readonly #waiters: (() => void)[] = [];
  #next = 0;
  #idCount = 0;

  protected constructor(turns: FakeTurn[]) {
    this.#turns = [...turns];
    this.#server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', chunk => chunks.push(chunk));
      req.on('end', () => {
        const raw = decode(
          Buffer.concat(chunks),
          req.headers['content-encoding'],
        ).toString('utf8');
        let body: unknown = raw;
        try {
          body = raw ? JSON.parse(raw) : undefined;
        } catch {
          // Recorded as text: the assertions show what arrived.
        }
        const recorded: RecordedRequest = {
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          headers: req.headers,
          body,
        };
        this.requests.push(recorded);
        this.#waiters.splice(0).forEach(wake => wake());
        this.handle(recorded, res);
      });
    });
    this.#server.on('connection', socket => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
  }

  protected async listen(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', () => resolve());
    });
    return this;
  }

  /** `http://127.0.0.1:<port>`, without a path. */
  get url(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** How many scripted turns have been served. */
  get turnsServed(): number {
    return this.#next;
  }

  /** Appends turns to the script, e.g. for a resumed session. */
  addTurns(...turns: FakeTurn[]) {
    this.#turns.push(...turns);
  }

  /** Resolves once `predicate` holds for a received request. */
  async waitForRequest(
    predicate: (request: RecordedRequest) => boolean,
    timeoutMs = 15_000,
  ): Promise<RecordedRequest> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.requests.find(predicate);
      if (found) {
        return found;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `The fake model saw no matching request within ${timeoutMs} ms`,
        );
      }
      await new Promise<void>(resolve => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  async close(): Promise<void> {
    this.#sockets.forEach(socket => socket.destroy());
    await new Promise<void>(resolve => this.#server.close(() => resolve()));
  }

  protected abstract handle(
    request: RecordedRequest,
    res: http.ServerResponse,
  ): void;

  /** The next scripted turn, or undefined when the script is played out. */
  protected takeTurn(): FakeTurn | undefined {
    const turn = this.#turns[this.#next];
    if (turn) {
      this.#next += 1;
    }
    return turn;
  }

  protected usageOf(turn: FakeTurn) {
    return turn.usage ?? DEFAULT_USAGE;
  }

  protected newId(prefix: string): string {
    this.#idCount += 1;
    return `${prefix}_fake${String(this.#idCount).padStart(6, '0')}`;
  }

  protected static json(
    res: http.ServerResponse,
    status: number,
    body: unknown,
  ) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  protected static startSse(res: http.ServerResponse) {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
  }

  protected static sse(res: http.ServerResponse, event: string, data: object) {
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }
}
