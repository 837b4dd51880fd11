import {
  budgetUsage,
  estimateBasisText,
  estimateText,
  formatUsd,
  remainingText,
  spentOfLimitText,
  verdictText,
} from './budgetText';

const estimate = {
  usd: 0.42,
  inputTokens: 10_000,
  outputTokens: 2_000,
  basis: 'recentRuns' as const,
  sampleSize: 3,
};

describe('budgetText', () => {
  it('formats money with four places below a dollar', () => {
    expect(formatUsd(0)).toBe('$0');
    expect(formatUsd(0.0123)).toBe('$0.0123');
    expect(formatUsd(12.5)).toBe('$12.50');
  });

  it('says where an estimate comes from', () => {
    expect(estimateBasisText(estimate)).toBe('mean of the last 3 runs');
    expect(estimateBasisText({ ...estimate, sampleSize: 1 })).toBe(
      'mean of the last 1 run',
    );
    expect(
      estimateBasisText({ ...estimate, basis: 'modelPrice', model: 'sonnet' }),
    ).toBe("the prompt at sonnet's price");
    expect(estimateBasisText({ ...estimate, basis: 'none' })).toBe(
      'no estimate yet',
    );
    expect(estimateBasisText({ ...estimate, basis: 'modelPrice' })).toBe(
      "the prompt at the model's price",
    );
    expect(estimateText({ ...estimate, basis: 'none' })).toBe(
      'no estimate yet (no finished runs and no model price)',
    );
    expect(estimateText(estimate)).toBe(
      '$0.4200 · 12,000 tokens (mean of the last 3 runs)',
    );
  });

  it('says plainly when a dispatch would be refused or wait', () => {
    const base = { estimate, budgets: [] };
    expect(
      verdictText({ ...base, verdict: 'refused', reason: 'weekly is spent' }),
    ).toBe('This dispatch would be refused: weekly is spent');
    expect(verdictText({ ...base, verdict: 'requiresApproval' })).toBe(
      'This dispatch would wait for an approval.',
    );
    expect(verdictText({ ...base, verdict: 'allowed' })).toBe(
      'No budget covers this dispatch.',
    );
  });

  it('measures a budget by its most used limit', () => {
    const state = {
      limits: { usd: 10, tokens: 1000 },
      spent: { usd: 5, tokens: 900, inputTokens: 800, outputTokens: 100 },
    };
    expect(budgetUsage(state)).toBeCloseTo(0.9);
    expect(budgetUsage({ ...state, limits: {} })).toBe(0);
    expect(spentOfLimitText(state)).toBe(
      '$5.00 of $10.00 · 900 of 1,000 tokens',
    );
    expect(remainingText({ usd: 5 })).toBe('$5.00 left');
    expect(remainingText({})).toBe('no limit');
  });
});
