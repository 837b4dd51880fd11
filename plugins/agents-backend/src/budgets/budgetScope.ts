import { AgentBudget, BudgetScope } from '@krate/plugin-agents-common';
import { SpendFilter } from './SpendLedger';

/** Annotation of a run: the owner (group entity ref) its stack had when it was dispatched. */
export const BUDGET_OWNER_ANNOTATION = 'agents.krate.dev/budget-owner';

/**
 * Annotation of a run held for the approval of going over budgets: their names, comma-separated.
 * A run that starts after all was approved over them, so their hard caps do not stop it.
 */
export const BUDGETS_APPROVED_ANNOTATION = 'agents.krate.dev/budgets-approved';

/** What a run is charged to: its stack, the rule that fired it, its stack's owner. */
export interface ChargedTo {
  stack: string;
  rule?: string;
  owner?: string;
}

const SCOPE_KINDS = ['stack', 'rule', 'owner'] as const;

/** The one scope a (validated) budget names. */
export function scopeOf(budget: AgentBudget): BudgetScope {
  const scope = budget.spec.scope as Partial<Record<string, string>>;
  const kind = SCOPE_KINDS.find(k => scope[k] !== undefined) ?? 'stack';
  return { kind, name: scope[kind] ?? '' };
}

/** Whether the budget counts the spend of runs charged to `target`. */
export function covers(budget: AgentBudget, target: ChargedTo): boolean {
  const { kind, name } = scopeOf(budget);
  return target[kind] === name;
}

/** Whether the budget's scope is one of the filter's stack, rule or owner. */
export function matchesAny(budget: AgentBudget, filter: SpendFilter): boolean {
  const { kind, name } = scopeOf(budget);
  return filter[kind] === name;
}

/** The ledger filter of a budget's scope. */
export function filterOf(scope: BudgetScope): SpendFilter {
  return { [scope.kind]: scope.name };
}

/** e.g. `stack builder`, `owner group:default/payments`. */
export function describeScope(scope: BudgetScope) {
  return `${scope.kind} ${scope.name}`;
}
