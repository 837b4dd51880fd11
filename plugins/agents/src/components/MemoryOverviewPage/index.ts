export { MemoryOverviewPage } from './MemoryOverviewPage';
