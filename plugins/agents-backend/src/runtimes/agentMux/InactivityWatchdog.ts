import { LoggerService } from '@backstage/backend-plugin-api';
import { RunEntry } from './gatewayProtocol';

/** Options of {@link InactivityWatchdog}. */
export interface InactivityWatchdogOptions {
  windowMs: number;
  /** The gateway run followed now. */
  runId(): string;
  /** The gateway's entry of a run, undefined when it does not know it; throws when unreachable. */
  getRun(runId: string): Promise<RunEntry | undefined>;
  /** The run is over although its end never came: catch up on its events. */
  onMissedEnd(): void;
  /** The run will never end; the message says why. */
  onLost(message: string): void;
  logger: LoggerService;
}

/**
 * Notices a gateway run that has gone quiet. While armed, a window of `windowMs` without a sign
 * of life (`touch`) makes it ask the gateway about the run: one that is over had its end missed;
 * one that still reads `running`, or that the gateway no longer knows, is lost. After a restart
 * Agent Mux keeps its runs `running` although no event will ever come.
 */
export class InactivityWatchdog {
  readonly #options: InactivityWatchdogOptions;
  readonly #windowMs: number;
  #timer?: NodeJS.Timeout;
  #touches = 0;

  constructor(options: InactivityWatchdogOptions) {
    this.#options = options;
    this.#windowMs = Math.min(Math.max(1, options.windowMs), 2 ** 31 - 1);
  }

  /** Starts the window anew. */
  arm(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#check();
    }, this.#windowMs);
    this.#timer.unref?.();
  }

  touch(): void {
    this.#touches += 1;
    this.#timer?.refresh();
  }

  disarm(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #check() {
    const { logger } = this.#options;
    const runId = this.#options.runId();
    const touches = this.#touches;
    let entry: RunEntry | undefined;
    try {
      entry = await this.#options.getRun(runId);
    } catch (error) {
      // Unreachable: the stream's reconnects decide when to give up.
      logger.debug(`Agent Mux run check failed: ${error}`);
      this.arm();
      return;
    }
    if (touches !== this.#touches || runId !== this.#options.runId()) {
      return;
    }
    if (entry && entry.status !== 'running') {
      this.#options.onMissedEnd();
      this.arm();
      return;
    }
    const window = `${this.#windowMs / 1000} s`;
    this.#options.onLost(
      entry
        ? `Agent Mux reports run ${runId} as running, but no event came for ${window} (agents.runtimes.agentMux.inactivitySeconds); the gateway probably restarted and lost it`
        : `The Agent Mux gateway no longer knows run ${runId} and sent nothing for ${window}`,
    );
  }
}
