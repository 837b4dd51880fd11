export { MemoryUpdates } from './MemoryUpdates';
export type { ListUpdatesOptions, ProposeOptions } from './MemoryUpdates';
export { RunMemoryImports, RUN_MEMORY_FOLDER } from './RunMemoryImports';
export { catalogIdentities, fallbackIdentity } from './commitIdentities';
export type { CommitIdentities } from './commitIdentities';
export {
  parseMerge,
  parseProposal,
  parseReview,
  checkOrg,
} from './proposalInput';
