export { MemoryRecordPage } from './MemoryRecordPage';
