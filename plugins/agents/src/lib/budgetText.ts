import {
  BudgetEstimate,
  BudgetLimits,
  BudgetScope,
  BudgetState,
  CostEstimate,
  CostTotals,
} from '@krate/plugin-agents-common';

/** `$12.50`, `$0.0123` (small amounts keep four places), `$0`. */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  return `$${usd < 1 ? usd.toFixed(4) : usd.toFixed(2)}`;
}

/** `12,345 tokens`. */
export function formatTokens(tokens: number): string {
  return `${Math.round(tokens).toLocaleString('en-US')} tokens`;
}

/** `$1.20 · 12,345 tokens`: money and tokens of a spend. */
export function formatSpend(totals: Pick<CostTotals, 'usd' | 'tokens'>) {
  return `${formatUsd(totals.usd)} · ${formatTokens(totals.tokens)}`;
}

/** Where an estimate comes from, in words. */
export function estimateBasisText(estimate: CostEstimate): string {
  switch (estimate.basis) {
    case 'recentRuns':
      return `mean of the last ${estimate.sampleSize} run${
        estimate.sampleSize === 1 ? '' : 's'
      }`;
    case 'modelPrice':
      return estimate.model
        ? `the prompt at ${estimate.model}'s price`
        : "the prompt at the model's price";
    default:
      return 'no estimate yet';
  }
}

/** `$0.42 · 12,000 tokens (mean of the last 3 runs)`, or only the basis without an estimate. */
export function estimateText(estimate: CostEstimate): string {
  const basis = estimateBasisText(estimate);
  if (estimate.basis === 'none') {
    return 'no estimate yet (no finished runs and no model price)';
  }
  return `${formatSpend({
    usd: estimate.usd,
    tokens: estimate.inputTokens + estimate.outputTokens,
  })} (${basis})`;
}

/** What the budgets would do with the dispatch, in a sentence. */
export function verdictText(budget: BudgetEstimate): string {
  const why = budget.reason ? `: ${budget.reason}` : '.';
  switch (budget.verdict) {
    case 'refused':
      return `This dispatch would be refused${why}`;
    case 'requiresApproval':
      return `This dispatch would wait for an approval${why}`;
    default:
      return budget.budgets.length
        ? 'Within budget.'
        : 'No budget covers this dispatch.';
  }
}

/** `stack fixer`, `rule nightly`, `owner group:default/payments`. */
export function scopeText(scope: BudgetScope): string {
  return `${scope.kind} ${scope.name}`;
}

/** The share of its most used limit a budget has spent, 0 without limits. */
export function budgetUsage(state: Pick<BudgetState, 'limits' | 'spent'>) {
  const shares: number[] = [];
  if (state.limits.usd) shares.push(state.spent.usd / state.limits.usd);
  if (state.limits.tokens) {
    shares.push(state.spent.tokens / state.limits.tokens);
  }
  return shares.length ? Math.max(...shares) : 0;
}

/** `$12.50 of $50`, `1,200 of 5,000 tokens`, both joined. */
export function spentOfLimitText(state: Pick<BudgetState, 'limits' | 'spent'>) {
  const parts: string[] = [];
  if (state.limits.usd !== undefined) {
    parts.push(
      `${formatUsd(state.spent.usd)} of ${formatUsd(state.limits.usd)}`,
    );
  }
  if (state.limits.tokens !== undefined) {
    parts.push(
      `${Math.round(state.spent.tokens).toLocaleString(
        'en-US',
      )} of ${formatTokens(state.limits.tokens)}`,
    );
  }
  return parts.join(' · ') || 'no limit';
}

/** `$37.50 left`, `3,800 tokens left`, both joined. */
export function remainingText(remaining: BudgetLimits): string {
  const parts: string[] = [];
  if (remaining.usd !== undefined)
    parts.push(`${formatUsd(remaining.usd)} left`);
  if (remaining.tokens !== undefined) {
    parts.push(`${formatTokens(remaining.tokens)} left`);
  }
  return parts.join(' · ') || 'no limit';
}

/** The ISO time `days` days before now, for the costs route's `since`. */
export function daysAgo(days: number, now: number = Date.now()): string {
  return new Date(now - days * 24 * 3600_000).toISOString();
}
