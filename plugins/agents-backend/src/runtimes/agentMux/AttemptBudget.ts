/**
 * The attempt's time budget, the stack's `runnerPolicy.timeoutSeconds`, counted from when its
 * first gateway run started; `signal` aborts once it is spent. Without a budget nothing ever
 * aborts.
 */
export class AttemptBudget {
  readonly #seconds?: number;
  readonly #controller = new AbortController();
  #deadline?: number;
  #timer?: NodeJS.Timeout;

  constructor(runnerPolicy: Record<string, any> | undefined) {
    const seconds = runnerPolicy?.timeoutSeconds;
    this.#seconds =
      typeof seconds === 'number' && seconds > 0 ? seconds : undefined;
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get spent(): boolean {
    return this.#controller.signal.aborted;
  }

  get message(): string {
    return `The attempt ran out of its ${
      this.#seconds
    } s budget (runnerPolicy.timeoutSeconds)`;
  }

  /** Starts counting at `startedAt` (ms since the epoch); later calls change nothing. */
  start(startedAt = Date.now()): void {
    if (!this.#seconds || this.#deadline !== undefined) {
      return;
    }
    this.#deadline = startedAt + this.#seconds * 1000;
    this.#timer = setTimeout(
      () => this.#controller.abort(),
      // Node fires at once for delays past a 32-bit millisecond count.
      Math.min(Math.max(0, this.#deadline - Date.now()), 2 ** 31 - 1),
    );
  }

  /** What is left, for the gateway's own `timeout`; undefined without a budget. */
  remainingMs(): number | undefined {
    return this.#deadline === undefined
      ? undefined
      : Math.max(1, Math.ceil(this.#deadline - Date.now()));
  }

  stop(): void {
    clearTimeout(this.#timer);
  }
}
