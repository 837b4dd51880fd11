/**
 * Budgets and costs: the answers of `/api/agents/budgets/*` and `/api/agents/costs`. A budget is
 * an `AgentBudget` resource; its spend is the sum of the attempts it covers that started inside
 * its rolling window.
 */

/** What a budget covers: the runs of one stack, of one trigger rule, or of one owner's stacks. @public */
export interface BudgetScope {
  kind: 'stack' | 'rule' | 'owner';
  /** A stack or rule name in the budget's namespace, or an owner's group entity ref. */
  name: string;
}

/** Money and tokens; `tokens` is input plus output. @public */
export interface CostTotals {
  usd: number;
  inputTokens: number;
  outputTokens: number;
  tokens: number;
}

/** A limit in money, in tokens, or both. @public */
export interface BudgetLimits {
  usd?: number;
  tokens?: number;
}

/** A budget with what was spent in its current window. @public */
export interface BudgetState {
  namespace: string;
  name: string;
  scope: BudgetScope;
  /** The rolling window, e.g. `24h`, `7d`. */
  window: string;
  /** Start of the current window (ISO time). */
  windowStart: string;
  limits: BudgetLimits;
  spent: CostTotals;
  /** What is left of each limit, never below 0. */
  remaining: BudgetLimits;
  /** Whether a limit is reached. */
  exceeded: boolean;
  /** What happens to a dispatch that would go over. */
  onExceed: 'refuse' | 'requireApproval';
  /** Whether a running attempt that crosses a limit is stopped (`BudgetExceeded`). */
  hardCap: boolean;
}

/** What one more run of a stack is expected to cost. @public */
export interface CostEstimate {
  usd: number;
  inputTokens: number;
  outputTokens: number;
  /**
   * `recentRuns`: the mean of the stack's recent finished runs; `modelPrice`: no history, the
   * prompt's tokens at the model's configured price; `none`: neither is known.
   */
  basis: 'recentRuns' | 'modelPrice' | 'none';
  /** How many runs the mean is over. */
  sampleSize: number;
  model?: string;
}

/** What a dispatch would come to against the budgets that cover it. @public */
export type BudgetVerdict = 'allowed' | 'refused' | 'requiresApproval';

/** The answer of `POST /api/agents/budgets/estimate`, also part of a rule dry-run. @public */
export interface BudgetEstimate {
  estimate: CostEstimate;
  budgets: (BudgetState & { wouldExceed: boolean })[];
  verdict: BudgetVerdict;
  /** Why, when the verdict is not `allowed`. */
  reason?: string;
}

/** How `/api/agents/costs` groups the spend. @public */
export const COST_GROUPINGS = [
  'attempt',
  'run',
  'stack',
  'rule',
  'owner',
] as const;

/** @public */
export type CostGrouping = (typeof COST_GROUPINGS)[number];

/** One group of `/api/agents/costs`. @public */
export interface CostRow extends CostTotals {
  /** The attempt, run, stack or rule name, or the owner's entity ref. */
  key: string;
  attempts: number;
}

/** The answer of `GET /api/agents/costs`, most expensive first. @public */
export interface CostsResponse {
  groupBy: CostGrouping;
  since: string;
  until: string;
  items: CostRow[];
}

/** The reason a run stopped, or a dispatch was refused, because of a budget. @public */
export const BUDGET_EXCEEDED_REASON = 'BudgetExceeded';

/** The reason of a run that waits for an approval because it would go over a budget. @public */
export const AWAITING_BUDGET_APPROVAL_REASON = 'AwaitingBudgetApproval';
