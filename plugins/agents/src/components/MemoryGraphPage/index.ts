export { MemoryGraphPage } from './MemoryGraphPage';
