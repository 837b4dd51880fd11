import {
  AgentRuntime,
  AgentRuntimeAvailability,
} from '@krate/plugin-agents-node';

export interface RuntimeAvailabilityOptions {
  /** How long an answer is reused; default 5 s. */
  maxAgeMs?: number;
  /** A check that takes longer counts as unavailable; default 10 s. */
  timeoutMs?: number;
}

/**
 * Asks runtimes whether they can run here. Checks may start processes or reach a gateway, so
 * answers are reused for a while and concurrent askers share one check; a check that throws or
 * hangs answers `available: false`.
 */
export class RuntimeAvailability {
  readonly #maxAgeMs: number;
  readonly #timeoutMs: number;
  readonly #answers = new Map<
    string,
    { at: number; answer: Promise<AgentRuntimeAvailability> }
  >();

  constructor(options: RuntimeAvailabilityOptions = {}) {
    this.#maxAgeMs = options.maxAgeMs ?? 5_000;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  check(runtime: AgentRuntime): Promise<AgentRuntimeAvailability> {
    const cached = this.#answers.get(runtime.id);
    if (cached && Date.now() - cached.at < this.#maxAgeMs) {
      return cached.answer;
    }
    const answer = this.#ask(runtime);
    this.#answers.set(runtime.id, { at: Date.now(), answer });
    return answer;
  }

  /** Forgets every answer, so the next check asks the runtime again. */
  clear(): void {
    this.#answers.clear();
  }

  async #ask(runtime: AgentRuntime): Promise<AgentRuntimeAvailability> {
    if (!runtime.checkAvailability) {
      return { available: true };
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<AgentRuntimeAvailability>(resolve => {
      timer = setTimeout(
        () =>
          resolve({
            available: false,
            reason: `its availability check did not answer within ${
              this.#timeoutMs / 1000
            } s`,
          }),
        this.#timeoutMs,
      );
      timer.unref?.();
    });
    try {
      return await Promise.race([runtime.checkAvailability(), timeout]);
    } catch (error) {
      return {
        available: false,
        reason: `its availability check failed: ${
          error instanceof Error ? error.message : String(error)
        }`,
      };
    } finally {
      clearTimeout(timer);
    }
  }
}
