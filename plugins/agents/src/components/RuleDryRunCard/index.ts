export { RuleDryRunCard } from './RuleDryRunCard';
export type { RuleDryRunCardProps } from './RuleDryRunCard';
