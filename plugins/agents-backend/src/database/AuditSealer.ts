import { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { setTimeout as delay } from 'node:timers/promises';
import { DatabaseAuditStore } from './AuditStore';

/**
 * Seals new audit records into their orgs' chains every `intervalMs` (default 1 s), so a record is
 * covered by the chain — and an edit of it detectable — about a second after it commits. Every
 * replica runs one; they take turns on each org's head.
 */
export class AuditSealer {
  readonly #audit: Pick<DatabaseAuditStore, 'sealAll'>;
  readonly #logger: LoggerService;
  readonly #intervalMs: number;
  #stop?: AbortController;
  #loop?: Promise<void>;

  constructor(options: {
    audit: Pick<DatabaseAuditStore, 'sealAll'>;
    logger: LoggerService;
    intervalMs?: number;
  }) {
    this.#audit = options.audit;
    this.#logger = options.logger;
    this.#intervalMs = options.intervalMs ?? 1_000;
  }

  start() {
    if (this.#loop) return;
    const stop = new AbortController();
    this.#stop = stop;
    this.#loop = this.#run(stop.signal);
  }

  async stop() {
    this.#stop?.abort();
    await this.#loop;
    this.#loop = undefined;
  }

  async #run(signal: AbortSignal) {
    while (!signal.aborted) {
      try {
        await this.#audit.sealAll();
      } catch (error) {
        this.#logger.warn(
          'Sealing audit records failed; trying again',
          isError(error) ? error : undefined,
        );
      }
      await delay(this.#intervalMs, undefined, { signal }).catch(() => {});
    }
  }
}
