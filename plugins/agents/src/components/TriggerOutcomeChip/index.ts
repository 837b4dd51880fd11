export { TriggerOutcomeChip } from './TriggerOutcomeChip';
export type { TriggerOutcomeChipProps } from './TriggerOutcomeChip';
