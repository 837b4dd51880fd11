export { BudgetsPage } from './BudgetsPage';
export type { BudgetsPageProps } from './BudgetsPage';
