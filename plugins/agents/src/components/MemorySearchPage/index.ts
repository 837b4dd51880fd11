export { MemorySearchPage } from './MemorySearchPage';
