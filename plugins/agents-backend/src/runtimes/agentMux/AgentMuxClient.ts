import { GatewayError } from './GatewayError';
import { AgentDescriptor, RunEntry, SessionEntry } from './gatewayProtocol';

/** Options of {@link AgentMuxClient}. */
export interface AgentMuxClientOptions {
  /** Gateway base URL, e.g. `http://127.0.0.1:7878`. */
  url: string;
  /** Bearer token; it only ever goes into the Authorization header. */
  token: string;
  /** Per-request timeout; default 10 s. */
  timeoutMs?: number;
}

interface Answer {
  status: number;
  text: string;
  json?: any;
}

/**
 * The gateway's REST API (`/healthz`, `/api/v1/*`). Used sparingly: each authenticated call
 * costs the gateway an argon2 check per stored token, so events come over the WebSocket.
 */
export class AgentMuxClient {
  readonly baseUrl: string;
  readonly #token: string;
  readonly #timeoutMs: number;

  constructor(options: AgentMuxClientOptions) {
    this.baseUrl = options.url.replace(/\/+$/, '');
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** The WebSocket endpoint (the gateway accepts it on any path). */
  get webSocketUrl(): string {
    const url = new URL(`${this.baseUrl}/`);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return url.toString();
  }

  async health(): Promise<{ ok: boolean; serverVersion?: string }> {
    const answer = await this.#call('GET', '/healthz', undefined, false);
    if (answer.status !== 200 || answer.json?.ok !== true) {
      throw this.#failure('GET', '/healthz', answer);
    }
    return answer.json;
  }

  async agents(): Promise<{
    agents: string[];
    agentDescriptors: AgentDescriptor[];
  }> {
    const answer = await this.#expect('GET', '/api/v1/agents', 200);
    return {
      agents: Array.isArray(answer.agents) ? answer.agents : [],
      agentDescriptors: Array.isArray(answer.agentDescriptors)
        ? answer.agentDescriptors
        : [],
    };
  }

  /** `POST /api/v1/runs`; any failure means the run did not start. */
  async startRun(options: Record<string, unknown>): Promise<RunEntry> {
    return this.#expect('POST', '/api/v1/runs', 201, options);
  }

  /** The run, or undefined when the gateway does not know it. */
  async getRun(runId: string): Promise<RunEntry | undefined> {
    const path = `/api/v1/runs/${encodeURIComponent(runId)}`;
    const answer = await this.#call('GET', path);
    if (answer.status === 404) {
      return undefined;
    }
    if (answer.status !== 200) {
      throw this.#failure('GET', path, answer);
    }
    return answer.json;
  }

  /** Whether the gateway stopped an active run (false when it was no longer active). */
  async stopRun(runId: string): Promise<boolean> {
    const path = `/api/v1/runs/${encodeURIComponent(runId)}/stop`;
    const answer = await this.#call('POST', path);
    if (answer.status === 404) {
      return false;
    }
    if (answer.status !== 200) {
      throw this.#failure('POST', path, answer);
    }
    return answer.json?.stopped === true;
  }

  /** The session, or undefined when the gateway does not know it. */
  async getSession(sessionId: string): Promise<SessionEntry | undefined> {
    const path = `/api/v1/sessions/${encodeURIComponent(sessionId)}`;
    const answer = await this.#call('GET', path);
    if (answer.status === 404) {
      return undefined;
    }
    if (answer.status !== 200) {
      throw this.#failure('GET', path, answer);
    }
    return answer.json;
  }

  async #expect(
    method: string,
    path: string,
    status: number,
    body?: unknown,
  ): Promise<any> {
    const answer = await this.#call(method, path, body);
    if (answer.status !== status || answer.json === undefined) {
      throw this.#failure(method, path, answer);
    }
    return answer.json;
  }

  async #call(
    method: string,
    path: string,
    body?: unknown,
    authenticated = true,
  ): Promise<Answer> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          ...(authenticated ? { authorization: `Bearer ${this.#token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } })
        .cause;
      throw new GatewayError(
        'GatewayUnreachable',
        this.#scrub(
          `Agent Mux gateway at ${
            this.baseUrl
          } is unreachable (${method} ${path}): ${
            cause?.code ?? cause?.message ?? (error as Error).message
          }`,
        ),
      );
    }
    const text = await response.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, text, json };
  }

  #failure(method: string, path: string, answer: Answer): GatewayError {
    const shown = this.#scrub(answer.text.slice(0, 300)) || '(empty body)';
    const message = `Agent Mux answered ${answer.status} to ${method} ${path}: ${shown}`;
    if (answer.status === 401) {
      return new GatewayError('GatewayUnauthorized', message);
    }
    if (answer.status === 400 && answer.json?.error === 'agent_unavailable') {
      return new GatewayError('AgentUnavailable', message);
    }
    return new GatewayError('GatewayRejected', message);
  }

  #scrub(text: string): string {
    return this.#token ? text.split(this.#token).join('***') : text;
  }
}
