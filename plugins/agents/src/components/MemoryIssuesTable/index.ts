export { MemoryIssuesTable } from './MemoryIssuesTable';
