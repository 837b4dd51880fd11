import { AgentDispatchAttempt } from '@krate/plugin-agents-common';
import { AttemptExecution } from './AttemptExecution';
import { DispatchParts } from './DispatchParts';

export interface AttemptWorkerOptions {
  /** Attempts this instance drives at once. */
  concurrency: number;
  /** How often it looks for claimable attempts when nobody woke it. */
  pollMs: number;
  /** How often it renews the leases it holds (well inside the lease duration). */
  renewMs: number;
}

/**
 * Claims attempts whose lease has lapsed — queued ones, and ones whose instance died — and drives
 * each with an AttemptExecution, renewing the leases while they run.
 */
export class AttemptWorker {
  readonly #parts: DispatchParts;
  readonly #options: AttemptWorkerOptions;
  readonly #active = new Map<string, AttemptExecution>();
  #running = false;
  #loop?: Promise<void>;
  #wake?: () => void;
  #renewTimer?: NodeJS.Timeout;

  constructor(parts: DispatchParts, options: AttemptWorkerOptions) {
    this.#parts = parts;
    this.#options = options;
  }

  async start() {
    if (this.#running) {
      return;
    }
    this.#running = true;
    await this.#enqueueOrphans();
    this.#renewTimer = setInterval(
      () => void this.#renewAll(),
      this.#options.renewMs,
    );
    this.#loop = this.#claimLoop();
  }

  /** Stops claiming; running attempts stop without an outcome, for the next instance to recover. */
  async stop() {
    this.#running = false;
    clearInterval(this.#renewTimer);
    this.#wake?.();
    for (const execution of this.#active.values()) {
      execution.shutdown();
    }
    await this.#loop;
    while (this.#active.size > 0) {
      await new Promise(resolve => setTimeout(resolve, 20));
    }
  }

  /** Looks for work now (a run was just dispatched or an action queued an attempt). */
  wake() {
    this.#wake?.();
  }

  /** Cancels an attempt if this instance drives it; false when it does not. */
  cancelLocal(namespace: string, attempt: string): boolean {
    const execution = this.#active.get(`${namespace}/${attempt}`);
    execution?.cancel();
    return Boolean(execution);
  }

  get activeCount() {
    return this.#active.size;
  }

  async #claimLoop() {
    while (this.#running) {
      let claimedAny = false;
      try {
        claimedAny = await this.#claimSome();
      } catch (error) {
        this.#parts.logger.error(`Claiming attempts failed: ${error}`);
      }
      if (!this.#running) {
        break;
      }
      if (!claimedAny || this.#active.size >= this.#options.concurrency) {
        await new Promise<void>(resolve => {
          const timer = setTimeout(done, this.#options.pollMs);
          function done() {
            clearTimeout(timer);
            resolve();
          }
          this.#wake = done;
        });
        this.#wake = undefined;
      }
    }
  }

  async #claimSome(): Promise<boolean> {
    const free = this.#options.concurrency - this.#active.size;
    if (free <= 0) {
      return false;
    }
    // All at once: under a burst, claims one after the other would queue the later runs.
    const claimedLeases = await this.#parts.leases.claimNext(free);
    let claimed = false;
    for (const candidate of claimedLeases) {
      const key = `${candidate.namespace}/${candidate.attempt}`;
      if (this.#active.has(key)) {
        continue;
      }
      claimed = true;
      const execution = new AttemptExecution(this.#parts, candidate);
      this.#active.set(key, execution);
      execution
        .execute()
        .catch(error =>
          this.#parts.logger.error(`Attempt ${key} failed to run: ${error}`),
        )
        .finally(() => {
          this.#active.delete(key);
          this.wake();
        });
    }
    return claimed;
  }

  async #renewAll() {
    for (const execution of this.#active.values()) {
      try {
        await execution.renew();
      } catch (error) {
        this.#parts.logger.warn(
          `Renewing the lease of ${execution.key} failed: ${error}`,
        );
      }
    }
  }

  /**
   * Queued attempts without a lease row: the instance that created one stopped between writing
   * the attempt and queueing it.
   */
  async #enqueueOrphans() {
    let continueToken: string | undefined;
    do {
      const page = await this.#parts.store.list('AgentDispatchAttempt', {
        fieldFilters: { phase: 'Queued' },
        limit: 500,
        continueToken,
      });
      for (const attempt of page.items as AgentDispatchAttempt[]) {
        const entry = {
          namespace: attempt.metadata.namespace,
          attempt: attempt.metadata.name,
          run: attempt.spec.run,
        };
        if (!(await this.#parts.leases.get(entry))) {
          await this.#parts.leases.enqueue(entry);
        }
      }
      continueToken = page.continueToken;
    } while (continueToken);
  }
}
