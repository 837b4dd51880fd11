export { DeliveryStateChip } from './DeliveryStateChip';
export type { DeliveryStateChipProps } from './DeliveryStateChip';
