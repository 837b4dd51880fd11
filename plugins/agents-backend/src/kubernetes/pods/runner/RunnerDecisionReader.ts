import { LoggerService } from '@backstage/backend-plugin-api';
import { setTimeout as sleep } from 'node:timers/promises';
import { RunnerDecisionAnswer } from '../runnerDecisions';

/** How often the runner asks again while a decision is pending. */
const POLL_MS = 1000;
/** The longest pause between tries while the backend does not answer (a restart). */
const MAX_BACKOFF_MS = 10_000;

/** Which approval to ask about: the one the runner requested, or one named by the backend. */
export type DecisionQuery = { interactionId: string } | { approval: string };

/** The backend refused the runner's credential or question: asking again will not help. */
export class DecisionRefused extends Error {
  readonly name = 'DecisionRefused';
}

/**
 * The in-pod side of approvals: asks the backend's decisions route about one of its attempt's
 * approvals, with the credential only the runner holds, until it is opened or decided. The
 * answer comes from the backend over HTTP, never from the shared working folder, so the agent
 * cannot write its own decision. While the backend does not answer (a restart) it asks again
 * with backoff; a refusal (401, 403, 400) ends the wait.
 */
export class RunnerDecisionReader {
  readonly #url: string;
  readonly #credential: string;
  readonly #logger: LoggerService;
  readonly #pollMs: number;

  constructor(options: {
    url: string;
    credential: string;
    logger: LoggerService;
    pollMs?: number;
  }) {
    this.#url = options.url;
    this.#credential = options.credential;
    this.#logger = options.logger;
    this.#pollMs = options.pollMs ?? POLL_MS;
  }

  /** The answer once the approval is `opened` (pending or decided) or `decided`. */
  async wait(
    query: DecisionQuery,
    until: 'opened' | 'decided',
    signal: AbortSignal,
  ): Promise<RunnerDecisionAnswer> {
    const url = new URL(this.#url);
    for (const [key, value] of Object.entries(query)) {
      url.searchParams.set(key, value);
    }
    let failures = 0;
    for (;;) {
      signal.throwIfAborted();
      let answer: RunnerDecisionAnswer | undefined;
      try {
        answer = await this.#ask(url, signal);
        failures = 0;
      } catch (error) {
        if (error instanceof DecisionRefused || signal.aborted) throw error;
        failures += 1;
        this.#logger.warn(
          `The backend did not answer about ${JSON.stringify(
            query,
          )} (${failures}), asking again: ${error}`,
        );
      }
      if (answer?.state === 'decided') return answer;
      if (answer?.state === 'pending' && until === 'opened') return answer;
      await sleep(
        failures
          ? Math.min(this.#pollMs * 2 ** failures, MAX_BACKOFF_MS)
          : this.#pollMs,
        undefined,
        { signal },
      );
    }
  }

  async #ask(url: URL, signal: AbortSignal): Promise<RunnerDecisionAnswer> {
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${this.#credential}` },
      signal,
    });
    if ([400, 401, 403].includes(response.status)) {
      throw new DecisionRefused(
        `The backend refused to answer (${response.status})`,
      );
    }
    if (!response.ok) {
      throw new Error(`HTTP ${response.status}`);
    }
    return (await response.json()) as RunnerDecisionAnswer;
  }
}
