import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';

/** Close codes of protocol version 1. */
export const CLOSE_CODES = {
  invalidFrame: 4400,
  unauthorized: 4401,
  backpressure: 4008,
} as const;

/**
 * One WebSocket client of the test gateway. Like the real gateway it counts frames handed to
 * the socket but not yet written, and closes with 4008 once more than `maxPendingFrames` are
 * waiting: a replay that sends more than that many frames in one go is cut off there.
 */
export class GatewayConnection {
  readonly id = randomUUID();
  readonly subscriptions = new Set<string>();
  readonly sessionSubscriptions = new Set<string>();
  authenticated = false;
  #pendingFrames = 0;
  readonly #socket: WebSocket;
  readonly #maxPendingFrames: number;
  readonly #onServerClose: (code: number) => void;

  constructor(
    socket: WebSocket,
    maxPendingFrames: number,
    onServerClose: (code: number) => void,
  ) {
    this.#socket = socket;
    this.#maxPendingFrames = maxPendingFrames;
    this.#onServerClose = onServerClose;
  }

  get open(): boolean {
    return this.#socket.readyState === this.#socket.OPEN;
  }

  send(frame: Record<string, unknown>): void {
    if (!this.open) {
      return;
    }
    this.#pendingFrames += 1;
    if (this.#pendingFrames > this.#maxPendingFrames) {
      this.close(CLOSE_CODES.backpressure, 'backpressure');
      return;
    }
    this.#socket.send(JSON.stringify(frame), () => {
      this.#pendingFrames = Math.max(0, this.#pendingFrames - 1);
    });
  }

  close(code: number, reason: string): void {
    if (!this.open) {
      return;
    }
    this.#onServerClose(code);
    this.#socket.close(code, reason.slice(0, 120));
  }

  /** Drops the TCP connection without a close frame, as a network failure would. */
  terminate(): void {
    this.#socket.terminate();
  }
}
