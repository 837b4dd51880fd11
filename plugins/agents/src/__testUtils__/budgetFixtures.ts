import { BudgetEstimate, BudgetState } from '@krate/plugin-agents-common';

/** A budget over a stack with `spentUsd` of a $10 limit spent in its 7-day window. */
export function budgetStateFixture(
  name: string,
  spentUsd: number,
  overrides: Partial<BudgetState> = {},
): BudgetState {
  const limit = 10;
  return {
    namespace: 'acme',
    name,
    scope: { kind: 'stack', name: 'scripted-demo' },
    window: '7d',
    windowStart: '2026-11-30T00:00:00.000Z',
    limits: { usd: limit },
    spent: {
      usd: spentUsd,
      inputTokens: 1000,
      outputTokens: 200,
      tokens: 1200,
    },
    remaining: { usd: Math.max(0, limit - spentUsd) },
    exceeded: spentUsd >= limit,
    onExceed: 'refuse',
    hardCap: false,
    ...overrides,
  };
}

/** An estimate of $0.42 over the last 3 runs against one budget with $2.50 left. */
export function budgetEstimateFixture(
  overrides: Partial<BudgetEstimate> = {},
): BudgetEstimate {
  return {
    estimate: {
      usd: 0.42,
      inputTokens: 10_000,
      outputTokens: 2_000,
      basis: 'recentRuns',
      sampleSize: 3,
      model: 'claude-sonnet',
    },
    budgets: [{ ...budgetStateFixture('weekly', 7.5), wouldExceed: false }],
    verdict: 'allowed',
    ...overrides,
  };
}
