import { GatewayError } from './GatewayError';

/** What a {@link GatewaySocket} reports after `hello`. */
export interface GatewaySocketHandlers {
  onFrame(frame: Record<string, any>): void;
  onClose(code: number, reason: string): void;
}

const REQUEST_TIMEOUT_MS = 5_000;

function closeError(code: number, reason: string): GatewayError {
  const detail = `closed with ${code}${reason ? ` (${reason})` : ''}`;
  if (code === 4401) {
    return new GatewayError(
      'GatewayUnauthorized',
      `The Agent Mux gateway refused the token: ${detail}`,
    );
  }
  if (code === 4400) {
    return new GatewayError(
      'GatewayProtocolError',
      `The Agent Mux gateway rejected a frame: ${detail}`,
    );
  }
  return new GatewayError(
    'GatewayUnreachable',
    `Agent Mux WebSocket ${detail} before hello`,
  );
}

/**
 * One authenticated WebSocket to the gateway: the token goes in an `auth` frame (never in the
 * URL), nothing else is sent before `hello`, and request frames are matched to their replies.
 */
export class GatewaySocket {
  readonly #ws: WebSocket;
  readonly #handlers: GatewaySocketHandlers;
  readonly #replies = new Map<
    string,
    (reply: Record<string, any> | undefined) => void
  >();
  #requestCount = 0;

  private constructor(ws: WebSocket, handlers: GatewaySocketHandlers) {
    this.#ws = ws;
    this.#handlers = handlers;
  }

  /** Connects and authenticates; rejects with a {@link GatewayError} when no `hello` comes. */
  static open(
    url: string,
    token: string,
    handlers: GatewaySocketHandlers,
    timeoutMs = 10_000,
  ): Promise<GatewaySocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const socket = new GatewaySocket(ws, handlers);
      let greeted = false;
      const timer = setTimeout(() => {
        reject(
          new GatewayError(
            'GatewayUnreachable',
            `No hello from the Agent Mux gateway within ${timeoutMs} ms`,
          ),
        );
        ws.close();
      }, timeoutMs);
      ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token }));
      ws.onmessage = message => {
        let frame: Record<string, any>;
        try {
          frame = JSON.parse(String(message.data));
        } catch {
          return;
        }
        if (greeted) {
          socket.#dispatch(frame);
          return;
        }
        if (frame?.type !== 'hello') {
          return;
        }
        greeted = true;
        clearTimeout(timer);
        if (!frame.protocolVersions?.includes('1')) {
          reject(
            new GatewayError(
              'GatewayProtocolError',
              `The gateway speaks protocol ${JSON.stringify(
                frame.protocolVersions,
              )}, not 1`,
            ),
          );
          ws.close();
          return;
        }
        resolve(socket);
      };
      ws.onclose = event => {
        clearTimeout(timer);
        if (!greeted) {
          reject(closeError(event.code, event.reason));
          return;
        }
        socket.#closed(event.code, event.reason);
      };
      ws.onerror = () => undefined;
    });
  }

  get isOpen(): boolean {
    return this.#ws.readyState === WebSocket.OPEN;
  }

  send(frame: Record<string, unknown>): void {
    if (this.isOpen) {
      this.#ws.send(JSON.stringify(frame));
    }
  }

  /** Sends a frame with an `id`; undefined when no reply came (closed or timed out). */
  request(
    frame: Record<string, unknown>,
  ): Promise<Record<string, any> | undefined> {
    if (!this.isOpen) {
      return Promise.resolve(undefined);
    }
    this.#requestCount += 1;
    const id = `krate-${this.#requestCount}`;
    return new Promise(resolve => {
      const timer = setTimeout(
        () => this.#reply(id, undefined),
        REQUEST_TIMEOUT_MS,
      );
      this.#replies.set(id, reply => {
        clearTimeout(timer);
        resolve(reply);
      });
      this.#ws.send(JSON.stringify({ id, ...frame }));
    });
  }

  close(): void {
    this.#ws.close(1000, 'done');
  }

  #dispatch(frame: Record<string, any>) {
    if (typeof frame.id === 'string' && frame.type === undefined) {
      this.#reply(frame.id, frame);
      return;
    }
    this.#handlers.onFrame(frame);
  }

  #reply(id: string, reply: Record<string, any> | undefined) {
    const resolve = this.#replies.get(id);
    this.#replies.delete(id);
    resolve?.(reply);
  }

  #closed(code: number, reason: string) {
    [...this.#replies.keys()].forEach(id => this.#reply(id, undefined));
    this.#handlers.onClose(code, reason);
  }
}
