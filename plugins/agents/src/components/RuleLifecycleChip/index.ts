export { RuleLifecycleChip } from './RuleLifecycleChip';
export type { RuleLifecycleChipProps } from './RuleLifecycleChip';
