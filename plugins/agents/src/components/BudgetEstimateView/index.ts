export { BudgetEstimateView } from './BudgetEstimateView';
