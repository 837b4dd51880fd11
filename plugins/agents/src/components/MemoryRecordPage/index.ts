export { MemoryRecordPage } from './MemoryRecordPage';
export { RecordMarkdown } from './RecordMarkdown';
