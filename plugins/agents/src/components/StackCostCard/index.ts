export { StackCostCard } from './StackCostCard';
