import { BudgetState, CostRow } from '@krate/plugin-agents-common';
import { budgetUsage } from '../../lib/budgetText';

/** Budgets at or above this share of a limit are worth a look. */
export const NEAR_LIMIT = 0.8;

export interface OrgSpend {
  namespace: string;
  owners: CostRow[];
  stacks: CostRow[];
  budgets: BudgetState[];
}

const byUsd = (a: CostRow, b: CostRow) => b.usd - a.usd || b.tokens - a.tokens;

/**
 * The overview's spend across orgs: the `top` owners (an owner's ref is the same in every org,
 * so their spend adds up), the `top` stacks with their org, and the budgets exceeded or near their
 * limit, most used first.
 */
export function spendSummary(orgs: OrgSpend[], top: number) {
  const owners = new Map<string, CostRow>();
  for (const row of orgs.flatMap(org => org.owners)) {
    const sum = owners.get(row.key);
    owners.set(
      row.key,
      sum
        ? {
            key: row.key,
            usd: sum.usd + row.usd,
            inputTokens: sum.inputTokens + row.inputTokens,
            outputTokens: sum.outputTokens + row.outputTokens,
            tokens: sum.tokens + row.tokens,
            attempts: sum.attempts + row.attempts,
          }
        : row,
    );
  }
  const stacks = orgs
    .flatMap(org => org.stacks.map(row => ({ namespace: org.namespace, row })))
    .sort((a, b) => byUsd(a.row, b.row))
    .slice(0, top);
  const budgets = orgs
    .flatMap(org => org.budgets)
    .filter(b => b.exceeded || budgetUsage(b) >= NEAR_LIMIT)
    .sort((a, b) => budgetUsage(b) - budgetUsage(a));
  return {
    owners: [...owners.values()].sort(byUsd).slice(0, top),
    stacks,
    budgets,
  };
}
