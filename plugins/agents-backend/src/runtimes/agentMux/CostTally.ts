import { RunEventUsage } from '@krate/plugin-agents-common';

const KEYS = ['usd', 'inputTokens', 'outputTokens'] as const;

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/**
 * Turns the running totals of Agent Mux `cost` events into the increments the run log
 * stores. A total lower than the one before means the agent started a new tally.
 */
export class CostTally {
  #totals = { usd: 0, inputTokens: 0, outputTokens: 0 };

  /** The increment since the last cost event, or undefined when nothing was added. */
  next(cost: Record<string, unknown>): RunEventUsage | undefined {
    const totals = {
      usd: count(cost.totalUsd),
      inputTokens: count(cost.inputTokens),
      outputTokens: count(cost.outputTokens),
    };
    const restarted = KEYS.some(key => totals[key] < this.#totals[key]);
    const increment: RunEventUsage = {};
    for (const key of KEYS) {
      const delta = restarted ? totals[key] : totals[key] - this.#totals[key];
      const rounded = Math.round(delta * 1e9) / 1e9;
      if (rounded) {
        increment[key] = rounded;
      }
    }
    this.#totals = totals;
    return Object.keys(increment).length ? increment : undefined;
  }

  /** The running totals of the current gateway run, as last reported. */
  get totals(): RunEventUsage {
    return { ...this.#totals };
  }

  /** Counts on from totals stored before a restart. */
  resumeFrom(totals: RunEventUsage): void {
    this.#totals = {
      usd: count(totals.usd),
      inputTokens: count(totals.inputTokens),
      outputTokens: count(totals.outputTokens),
    };
  }

  reset(): void {
    this.#totals = { usd: 0, inputTokens: 0, outputTokens: 0 };
  }
}
