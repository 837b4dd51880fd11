export { RecentDeliveries } from './RecentDeliveries';
export type { RecentDeliveriesProps } from './RecentDeliveries';
