import { CostGrouping } from '@krate/plugin-agents-common';

/** Filters of `GET /budgets/state`: the budgets that cover a stack, a rule or an owner. @public */
export interface BudgetStateFilters {
  namespace?: string;
  stack?: string;
  rule?: string;
  /** An owner's group entity ref. */
  owner?: string;
}

/** The body of `POST /budgets/estimate`. @public */
export interface BudgetEstimateRequest {
  namespace: string;
  stack: string;
  rule?: string;
  prompt?: string;
}

/** The query of `GET /costs`; `since` and `until` are ISO times. @public */
export interface CostsQuery {
  namespace?: string;
  groupBy: CostGrouping;
  since?: string;
  until?: string;
  stack?: string;
  rule?: string;
  owner?: string;
  limit?: number;
}
