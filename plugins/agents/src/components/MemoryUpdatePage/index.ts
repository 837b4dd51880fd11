export { MemoryUpdatePage } from './MemoryUpdatePage';
