export { OverviewCounters } from './OverviewCounters';
