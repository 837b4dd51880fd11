import { LoggerService } from '@backstage/backend-plugin-api';
import { GatewayError } from './GatewayError';
import { HookRequestFrame, RunEventFrame } from './gatewayProtocol';
import { GatewaySocket } from './GatewaySocket';

/** A stretch of seqs that will never arrive. */
export interface EventsLost {
  count: number;
  fromSeq: number;
  toSeq: number;
  reason: 'seq_gone' | 'seq_gap';
}

/** What a {@link RunStream} reports, in the run's seq order. */
export interface RunStreamHandlers {
  onEvent(frame: RunEventFrame): void;
  onLost(lost: EventsLost): void;
  onHookRequest(frame: HookRequestFrame): void;
  /** Checks after a lost connection that resuming makes sense; throw to give up. */
  onReconnect(): Promise<void>;
  /** The stream gave up; nothing more will arrive. */
  onFatal(error: GatewayError): void;
}

/** Options of {@link RunStream}. */
export interface RunStreamOptions {
  webSocketUrl: string;
  token: string;
  logger: LoggerService;
  /** First and longest pause between reconnects; default 100 ms and 5 s. */
  reconnectDelayMs?: { min: number; max: number };
  /** How long the gateway may stay unreachable before the stream gives up; default 2 min. */
  giveUpAfterMs?: number;
  /** Keepalive ping interval; a missed pong counts as a lost connection. Default 20 s. */
  pingIntervalMs?: number;
}

const FATAL_ON_RECONNECT = new Set([
  'GatewayUnauthorized',
  'GatewayProtocolError',
  'RuntimeLost',
]);

/**
 * Follows one gateway run over one WebSocket: subscribes from the highest seq seen, delivers
 * each seq once and in order, reports gaps (skipped seqs, `seq_gone`), and after any lost
 * connection — a network failure or the gateway's 4008 when a replay outruns the socket —
 * reconnects and subscribes again from where it stopped until it has caught up.
 */
export class RunStream {
  readonly #options: RunStreamOptions;
  readonly #handlers: RunStreamHandlers;
  #socket?: GatewaySocket;
  #generation = 0;
  #runId = '';
  #lastSeq = 0;
  #lossReason?: EventsLost['reason'];
  #seqGoneStreak = 0;
  #closed = false;
  #pingTimer?: NodeJS.Timeout;
  #awaitingPong = false;
  #sleep?: { timer: NodeJS.Timeout; wake: () => void };

  constructor(options: RunStreamOptions, handlers: RunStreamHandlers) {
    this.#options = options;
    this.#handlers = handlers;
  }

  get runId(): string {
    return this.#runId;
  }

  /** Highest seq delivered (or declared lost) for the current run. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** Connects and subscribes to `runId` after `sinceSeq`; throws a {@link GatewayError}. */
  async open(runId: string, sinceSeq: number): Promise<void> {
    this.#runId = runId;
    this.#lastSeq = sinceSeq;
    this.#attach(await this.#connect());
  }

  /** Switches to another run of the same session, from its start. */
  follow(runId: string): void {
    this.#socket?.send({ type: 'unsubscribe', runId: this.#runId });
    this.#runId = runId;
    this.#lastSeq = 0;
    this.#lossReason = undefined;
    this.#subscribe();
  }

  /** Subscribes again from the highest seq seen, for what a live subscription missed. */
  resubscribe(): void {
    this.#subscribe();
  }

  /** Answers a hook; true when the gateway took the decision, undefined when unknown. */
  async decide(
    hookRequestId: string,
    decision: 'allow' | 'deny',
    reason?: string,
  ): Promise<boolean | undefined> {
    const reply = await this.#socket?.request({
      type: 'hook.decision',
      hookRequestId,
      decision,
      ...(reason ? { reason } : {}),
    });
    return reply ? reply.ok === true : undefined;
  }

  close(): void {
    this.#closed = true;
    clearInterval(this.#pingTimer);
    if (this.#sleep) {
      clearTimeout(this.#sleep.timer);
      this.#sleep.wake();
    }
    this.#socket?.close();
    this.#socket = undefined;
  }

  #connect(): Promise<GatewaySocket> {
    const generation = ++this.#generation;
    return GatewaySocket.open(this.#options.webSocketUrl, this.#options.token, {
      onFrame: frame => {
        if (generation === this.#generation) {
          this.#onFrame(frame);
        }
      },
      onClose: (code, reason) => {
        if (generation === this.#generation) {
          this.#onClose(code, reason);
        }
      },
    });
  }

  #attach(socket: GatewaySocket) {
    this.#socket = socket;
    this.#awaitingPong = false;
    clearInterval(this.#pingTimer);
    this.#pingTimer = setInterval(
      () => this.#ping(),
      this.#options.pingIntervalMs ?? 20_000,
    );
    this.#pingTimer.unref?.();
    this.#subscribe();
  }

  #subscribe(sinceSeq = this.#lastSeq) {
    this.#socket?.send({ type: 'subscribe', runId: this.#runId, sinceSeq });
  }

  #ping() {
    if (this.#awaitingPong) {
      this.#options.logger.warn(
        `No pong from the Agent Mux gateway; reconnecting to run ${
          this.#runId
        }`,
      );
      if (this.#socket) {
        this.#discard(this.#socket);
      }
      this.#onClose(1006, 'missed pong');
      return;
    }
    this.#awaitingPong = true;
    this.#socket?.send({ type: 'ping' });
  }

  #onFrame(frame: Record<string, any>) {
    switch (frame.type) {
      case 'run.event':
        this.#onRunEvent(frame as RunEventFrame);
        return;
      case 'hook.request':
        if (frame.runId === this.#runId) {
          this.#handlers.onHookRequest(frame as HookRequestFrame);
        }
        return;
      case 'error':
        if (frame.code === 'seq_gone' && frame.runId === this.#runId) {
          this.#onSeqGone(frame.tailSeq);
        } else {
          this.#options.logger.warn(
            `Agent Mux error frame ${frame.code}: ${frame.message}`,
          );
        }
        return;
      case 'pong':
        this.#awaitingPong = false;
        return;
      default:
    }
  }

  #onRunEvent(frame: RunEventFrame) {
    if (frame.runId !== this.#runId || !Number.isInteger(frame.seq)) {
      return;
    }
    if (frame.seq <= this.#lastSeq) {
      return;
    }
    if (frame.seq > this.#lastSeq + 1) {
      this.#handlers.onLost({
        count: frame.seq - this.#lastSeq - 1,
        fromSeq: this.#lastSeq + 1,
        toSeq: frame.seq - 1,
        reason: this.#lossReason ?? 'seq_gap',
      });
    }
    this.#lossReason = undefined;
    this.#seqGoneStreak = 0;
    this.#lastSeq = frame.seq;
    this.#handlers.onEvent(frame);
  }

  /** The gateway no longer holds the seqs after ours: skip to its newest and say so. */
  #onSeqGone(tailSeq: unknown) {
    this.#lossReason = 'seq_gone';
    this.#seqGoneStreak += 1;
    if (typeof tailSeq !== 'number' || this.#seqGoneStreak > 10) {
      this.#fatal(
        new GatewayError(
          'RuntimeLost',
          `The gateway no longer holds the events of run ${
            this.#runId
          } after seq ${this.#lastSeq}`,
        ),
      );
      return;
    }
    this.#subscribe(Math.max(this.#lastSeq, tailSeq - 1));
  }

  #onClose(code: number, reason: string) {
    clearInterval(this.#pingTimer);
    this.#socket = undefined;
    if (this.#closed) {
      return;
    }
    if (code === 4401 || code === 4400) {
      this.#fatal(
        new GatewayError(
          code === 4401 ? 'GatewayUnauthorized' : 'GatewayProtocolError',
          `The Agent Mux gateway closed the WebSocket with ${code} (${reason})`,
        ),
      );
      return;
    }
    this.#options.logger.debug(
      `Agent Mux WebSocket closed (${code}) at seq ${this.#lastSeq} of run ${
        this.#runId
      }; reconnecting`,
    );
    void this.#reconnect(code === 4008);
  }

  async #reconnect(afterBackpressure: boolean) {
    let backpressure = afterBackpressure;
    const { min, max } = this.#options.reconnectDelayMs ?? {
      min: 100,
      max: 5_000,
    };
    const giveUpAfterMs = this.#options.giveUpAfterMs ?? 120_000;
    const since = Date.now();
    let delay = backpressure ? 0 : min;
    for (;;) {
      await this.#pause(delay);
      if (this.#closed) {
        return;
      }
      let socket: GatewaySocket | undefined;
      try {
        socket = await this.#connect();
        if (!backpressure && !this.#closed) {
          await this.#handlers.onReconnect();
        }
        if (this.#closed) {
          this.#discard(socket);
          return;
        }
        this.#attach(socket);
        return;
      } catch (error) {
        if (socket) {
          this.#discard(socket);
        }
        backpressure = false;
        const failure =
          error instanceof GatewayError
            ? error
            : new GatewayError('GatewayUnreachable', String(error));
        if (FATAL_ON_RECONNECT.has(failure.reason)) {
          this.#fatal(failure);
          return;
        }
        if (Date.now() - since > giveUpAfterMs) {
          this.#fatal(
            new GatewayError(
              'GatewayUnreachable',
              `Lost the Agent Mux gateway for more than ${Math.round(
                giveUpAfterMs / 1000,
              )} s: ${failure.message}`,
            ),
          );
          return;
        }
        delay = Math.min(max, Math.max(min, delay * 2));
      }
    }
  }

  /** Closes a socket without treating its close as a lost connection. */
  #discard(socket: GatewaySocket) {
    this.#generation += 1;
    socket.close();
  }

  #pause(ms: number): Promise<void> {
    if (ms <= 0) {
      return Promise.resolve();
    }
    return new Promise(resolve => {
      const wake = () => {
        this.#sleep = undefined;
        resolve();
      };
      this.#sleep = { timer: setTimeout(wake, ms), wake };
    });
  }

  #fatal(error: GatewayError) {
    if (!this.#closed) {
      this.close();
      this.#handlers.onFatal(error);
    }
  }
}
