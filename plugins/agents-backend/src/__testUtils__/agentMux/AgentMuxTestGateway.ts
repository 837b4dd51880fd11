import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { CLOSE_CODES, GatewayConnection } from './GatewayConnection';
import { GatewayRun } from './GatewayRun';
import { GatewayRuns } from './GatewayRuns';
import { LoggedEvent, RunOptions } from './gatewayTypes';
import { echoHarness, Harness } from './Harness';
import { ParsedMessage, parseClientFrame } from './parseClientFrame';

/** An agent the gateway lists, with its 6-field descriptor. */
export interface AgentDescriptor {
  agent: string;
  displayName: string;
  adapterType: 'subprocess' | 'remote' | 'programmatic';
  structuredSessionTransport: 'none' | 'restart-per-turn' | 'persistent';
  supportsInteractiveMode: boolean;
  canResume: boolean;
}

/** Options of {@link AgentMuxTestGateway}; the defaults are Agent Mux's. */
export interface AgentMuxTestGatewayOptions {
  token?: string;
  agents?: AgentDescriptor[];
  harness?: Harness;
  maxConcurrentRuns?: number;
  maxEventsPerRun?: number;
  maxPendingFrames?: number;
  hookDecisionTimeoutMs?: number;
  unauthenticatedTimeoutMs?: number;
  eventBufferHwm?: number;
  drainBatch?: number;
  harnessStartDelayMs?: number;
}

/** A REST call as the gateway received it (without its credentials). */
export interface RecordedRequest {
  method: string;
  path: string;
  body?: unknown;
  authorized: boolean;
  status: number;
}

const SERVER_VERSION = '0.0.0-test';

/** What Agent Mux lists with the Claude CLI detected: there is no `claude-code` agent. */
const DEFAULT_AGENTS: AgentDescriptor[] = [
  {
    agent: 'claude-agent-sdk',
    displayName: 'Claude (Agent SDK)',
    adapterType: 'programmatic',
    structuredSessionTransport: 'persistent',
    supportsInteractiveMode: true,
    canResume: true,
  },
  {
    agent: 'claude',
    displayName: 'Claude Code',
    adapterType: 'subprocess',
    structuredSessionTransport: 'restart-per-turn',
    supportsInteractiveMode: true,
    canResume: true,
  },
];

class HttpAnswer {
  constructor(readonly status: number, readonly body: unknown) {}
}

const notFound = () => new HttpAnswer(404, { error: 'not_found' });

/**
 * A stand-in for the Agent Mux gateway (protocol version 1) on loopback: real HTTP and
 * WebSocket, bearer auth, per-run seqs, replay, truncation, backpressure, hooks that fail open,
 * and runs whose "agent" is a scripted harness a test registers. Test controls are methods of
 * this object, never routes.
 */
export class AgentMuxTestGateway {
  readonly token: string;
  readonly requests: RecordedRequest[] = [];
  /** Every WebSocket message received, by connection. */
  readonly frames: { connectionId: string; type?: string; data: string }[] = [];
  /** Close codes the gateway closed connections with. */
  readonly serverCloses: { connectionId: string; code: number }[] = [];
  /** Set once something a client sent killed the gateway process. */
  crashed = false;
  readonly #options: Required<
    Omit<AgentMuxTestGatewayOptions, 'harness' | 'token'>
  >;
  readonly #server: http.Server;
  readonly #wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
  });
  readonly #sockets = new Set<Socket>();
  readonly #connections = new Set<GatewayConnection>();
  readonly #runs: GatewayRuns;
  #harness: Harness;
  #refusing = false;
  #port = 0;

  private constructor(options: AgentMuxTestGatewayOptions) {
    this.token = options.token ?? randomBytes(24).toString('hex');
    this.#harness = options.harness ?? echoHarness;
    this.#options = {
      agents: options.agents ?? DEFAULT_AGENTS,
      maxConcurrentRuns: options.maxConcurrentRuns ?? 16,
      maxEventsPerRun: options.maxEventsPerRun ?? 100_000,
      maxPendingFrames: options.maxPendingFrames ?? 1024,
      hookDecisionTimeoutMs: options.hookDecisionTimeoutMs ?? 30_000,
      unauthenticatedTimeoutMs: options.unauthenticatedTimeoutMs ?? 5_000,
      eventBufferHwm: options.eventBufferHwm ?? 1000,
      drainBatch: options.drainBatch ?? 256,
      harnessStartDelayMs: options.harnessStartDelayMs ?? 10,
    };
    this.#runs = new GatewayRuns({
      ...this.#options,
      harness: () => this.#harness,
      connections: () => this.#connections,
    });
    this.#server = http.createServer((req, res) => void this.#http(req, res));
    this.#server.on('connection', socket => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    this.#server.on('upgrade', (req, socket, head) =>
      this.#upgrade(req, socket as Socket, head),
    );
  }

  static async start(
    options: AgentMuxTestGatewayOptions = {},
  ): Promise<AgentMuxTestGateway> {
    const gateway = new AgentMuxTestGateway(options);
    await new Promise<void>((resolve, reject) => {
      gateway.#server.once('error', reject);
      gateway.#server.listen(0, '127.0.0.1', () => resolve());
    });
    gateway.#port = (gateway.#server.address() as AddressInfo).port;
    return gateway;
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** The script runs started from now on follow. */
  useHarness(harness: Harness): void {
    this.#harness = harness;
  }

  get hookRequests() {
    return this.#runs.broker.sent;
  }

  get hookDecisions() {
    return this.#runs.broker.received;
  }

  /** Subscribes that were answered with `seq_gone`. */
  get seqGoneSent() {
    return this.#runs.seqGoneSent;
  }

  run(runId: string): GatewayRun | undefined {
    return this.#runs.get(runId);
  }

  get runs(): GatewayRun[] {
    return this.#runs.list();
  }

  /** Every event the run ever had, including those truncated since. */
  history(runId: string): LoggedEvent[] {
    return this.#runs.get(runId)?.store.history ?? [];
  }

  /** Cuts every WebSocket at once, as a network failure would; answers how many. */
  dropSocketsNow(): number {
    const connections = [...this.#connections];
    for (const connection of connections) {
      this.#forget(connection);
      connection.terminate();
    }
    return connections.length;
  }

  /**
   * Kills and restarts the gateway process, as observed on Agent Mux: every connection drops,
   * and each run that was active still reads `running` (and counts in healthz) with its stored
   * events, but its harness is gone and no event will ever come.
   */
  restart(): void {
    this.dropSocketsNow();
    this.#runs.list().forEach(run => run.orphan());
  }

  /** While set, WebSocket upgrades are refused with 503 (the gateway restarting). */
  refuseConnections(refuse: boolean): void {
    this.#refusing = refuse;
  }

  async close(): Promise<void> {
    this.#runs.dispose();
    for (const connection of this.#connections) {
      connection.terminate();
    }
    await new Promise<void>(resolve => this.#wss.close(() => resolve()));
    this.#sockets.forEach(socket => socket.destroy());
    await new Promise<void>(resolve => this.#server.close(() => resolve()));
  }

  #crash() {
    this.crashed = true;
    this.#refusing = true;
    this.#runs.dispose();
    this.#connections.forEach(connection => connection.terminate());
    this.#sockets.forEach(socket => socket.destroy());
    this.#server.close();
  }

  // ---- HTTP ----

  async #http(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://gateway');
    const method = req.method ?? 'GET';
    const text = await new Promise<string>(resolve => {
      let data = '';
      req.setEncoding('utf8');
      req.on('data', chunk => {
        data += chunk;
      });
      req.on('end', () => resolve(data));
    });
    const authorized =
      req.headers.authorization === `Bearer ${this.token}` &&
      this.token.length > 0;
    let body: unknown;
    let answer: HttpAnswer;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    try {
      answer = this.#route(method, url.pathname, authorized, text);
    } catch {
      answer = new HttpAnswer(500, undefined);
    }
    this.requests.push({
      method,
      path: url.pathname,
      ...(body === undefined ? {} : { body }),
      authorized,
      status: answer.status,
    });
    if (answer.body === undefined) {
      res.writeHead(answer.status, { 'content-type': 'text/plain' });
      res.end('Internal Server Error');
      return;
    }
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  }

  /** Throws for what Agent Mux answers with a bare 500 (bad JSON, empty prompt, too many runs). */
  #route(
    method: string,
    path: string,
    authorized: boolean,
    text: string,
  ): HttpAnswer {
    if (method === 'GET' && path === '/healthz') {
      return new HttpAnswer(200, {
        ok: true,
        serverTime: new Date().toISOString(),
        serverVersion: SERVER_VERSION,
        runs: { active: this.runs.filter(r => r.active).length },
      });
    }
    if (!path.startsWith('/api/v1/')) {
      return notFound();
    }
    if (!authorized) {
      return new HttpAnswer(401, { error: 'unauthorized' });
    }
    const parts = path.slice('/api/v1/'.length).split('/');
    const json = () => JSON.parse(text || 'null') ?? {};
    const key = `${method} ${parts[0]}${parts.length > 1 ? '/:id' : ''}${
      parts[2] ? `/${parts[2]}` : ''
    }`;
    switch (key) {
      case 'GET agents':
        return new HttpAnswer(200, {
          agents: this.#options.agents.map(a => a.agent),
          agentDescriptors: this.#options.agents,
        });
      case 'GET runs':
        return new HttpAnswer(200, {
          runs: this.runs.reverse().map(r => r.entry),
        });
      case 'POST runs': {
        const options = json() as RunOptions;
        if (!this.#agentListed(options.agent)) {
          return new HttpAnswer(400, {
            error: 'agent_unavailable',
            agent: String(options.agent ?? ''),
          });
        }
        return new HttpAnswer(201, this.#runs.start(options).entry);
      }
      case 'GET runs/:id': {
        const run = this.#runs.get(parts[1]);
        return run ? new HttpAnswer(200, run.entry) : notFound();
      }
      case 'POST runs/:id/stop': {
        const stopped = this.#runs.get(parts[1])?.stop() ?? false;
        return new HttpAnswer(stopped ? 200 : 404, { stopped });
      }
      case 'GET sessions':
        return new HttpAnswer(200, {
          sessions: this.#runs.sessions(),
        });
      case 'GET sessions/:id': {
        const session = this.#runs.session(parts[1]);
        return session ? new HttpAnswer(200, session) : notFound();
      }
      case 'POST sessions/:id/messages': {
        const answer = this.#runs.continueSession(parts[1], json());
        return answer ? new HttpAnswer(200, answer) : notFound();
      }
      default:
        return notFound();
    }
  }

  #agentListed(agent: unknown): boolean {
    return this.#options.agents.some(a => a.agent === agent);
  }

  #persistent(agent: string): boolean {
    return this.#options.agents.some(
      a => a.agent === agent && a.structuredSessionTransport === 'persistent',
    );
  }

  // ---- WebSocket ----

  #upgrade(req: http.IncomingMessage, socket: Socket, head: Buffer) {
    if (this.#refusing) {
      socket.end(
        'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n',
      );
      return;
    }
    const headerAuthorized =
      req.headers.authorization === `Bearer ${this.token}`;
    this.#wss.handleUpgrade(req, socket, head, ws =>
      this.#accept(ws, headerAuthorized),
    );
  }

  #accept(ws: WebSocket, headerAuthorized: boolean) {
    const connection: GatewayConnection = new GatewayConnection(
      ws,
      this.#options.maxPendingFrames,
      code => this.serverCloses.push({ connectionId: connection.id, code }),
    );
    this.#connections.add(connection);
    const authTimer = setTimeout(() => {
      if (!connection.authenticated) {
        connection.close(CLOSE_CODES.unauthorized, 'auth timeout');
      }
    }, this.#options.unauthenticatedTimeoutMs);
    if (headerAuthorized) {
      connection.authenticated = true;
      connection.send(this.#hello());
    }
    ws.on('message', data => this.#onMessage(connection, String(data)));
    ws.on('close', () => {
      clearTimeout(authTimer);
      this.#forget(connection);
    });
    ws.on('error', () => undefined);
  }

  #hello() {
    return {
      type: 'hello',
      protocolVersions: ['1'],
      serverVersion: SERVER_VERSION,
      serverTime: new Date().toISOString(),
    };
  }

  #onMessage(connection: GatewayConnection, data: string) {
    const parsed = parseClientFrame(data);
    this.frames.push({
      connectionId: connection.id,
      type: parsed.kind === 'frame' ? parsed.frame.type : typeOf(parsed),
      data,
    });
    if (parsed.kind === 'invalid') {
      connection.close(CLOSE_CODES.invalidFrame, parsed.message);
      return;
    }
    if (parsed.kind === 'request') {
      const reply = connection.authenticated
        ? this.#request(connection, parsed.requestId, parsed.type, parsed.raw)
        : undefined;
      if (reply) {
        connection.send(reply);
      } else if (!this.crashed) {
        connection.close(
          CLOSE_CODES.invalidFrame,
          `invalid frame ${parsed.type}`,
        );
      }
      return;
    }
    const { frame, requestId } = parsed;
    if (!connection.authenticated) {
      if (frame.type === 'auth' && frame.token === this.token) {
        connection.authenticated = true;
        connection.send(this.#hello());
      } else {
        connection.close(
          CLOSE_CODES.unauthorized,
          frame.type === 'auth' ? 'invalid token' : 'auth required',
        );
      }
      return;
    }
    switch (frame.type) {
      case 'ping':
        connection.send({ type: 'pong' });
        return;
      case 'subscribe':
        this.#runs.subscribe(connection, frame.runId, frame.sinceSeq ?? 0);
        return;
      case 'unsubscribe':
        this.#runs.unsubscribe(connection, frame.runId);
        return;
      case 'session.subscribe':
        connection.sessionSubscriptions.add(frame.sessionId);
        return;
      case 'session.unsubscribe':
        connection.sessionSubscriptions.delete(frame.sessionId);
        return;
      case 'hook.decision': {
        const ok = this.#runs.broker.submit(connection, frame);
        if (requestId) {
          connection.send({ id: requestId, ok });
        }
        return;
      }
      default:
    }
  }

  /** Request frames; `undefined` closes the socket with 4400 (or the gateway crashed). */
  #request(
    connection: GatewayConnection,
    id: string,
    type: string,
    raw: Record<string, any>,
  ): Record<string, unknown> | undefined {
    switch (type) {
      case 'agents.list':
        return { id, agents: this.#options.agents.map(a => a.agent) };
      case 'run.start': {
        if (!this.#agentListed(raw.agent)) {
          return { id, error: 'agent_unavailable', agent: String(raw.agent) };
        }
        const runId =
          typeof raw.runId === 'string' && raw.runId.trim()
            ? raw.runId
            : undefined;
        try {
          if (runId) {
            this.#runs.subscribe(connection, runId, 0);
          }
          const run = this.#runs.start({
            agent: raw.agent,
            prompt: raw.prompt,
            ...(runId ? { runId } : {}),
            ...(typeof raw.model === 'string' ? { model: raw.model } : {}),
            ...(typeof raw.sessionId === 'string'
              ? { sessionId: raw.sessionId }
              : {}),
          });
          if (!runId) {
            this.#runs.subscribe(connection, run.runId, 0);
          }
          return { id, run: run.entry };
        } catch {
          // Agent Mux leaves this rejection unhandled and the process exits.
          this.#crash();
          return undefined;
        }
      }
      case 'run.stop':
        return {
          id,
          stopped: this.#runs.get(String(raw.runId))?.stop() ?? false,
        };
      case 'run.input': {
        const run = this.#runs.get(String(raw.runId));
        if (!run?.active) {
          return { id, ok: false };
        }
        if (this.#persistent(run.options.agent)) {
          return { id, ok: true };
        }
        // Agent Mux crashes on input to an agent without a persistent transport.
        this.#crash();
        return undefined;
      }
      default:
        return undefined;
    }
  }

  #forget(connection: GatewayConnection) {
    this.#runs.forget(connection);
    this.#connections.delete(connection);
  }
}

function typeOf(parsed: Exclude<ParsedMessage, { kind: 'frame' }>) {
  return parsed.kind === 'request' ? parsed.type : undefined;
}
