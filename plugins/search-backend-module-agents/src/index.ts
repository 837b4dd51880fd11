/**
 * Search collators for Krate Agents resources and company-brain memory records.
 *
 * @packageDocumentation
 */

export { searchModuleAgentsCollator as default } from './module';
export { AgentsCollatorFactory } from './collators/AgentsCollatorFactory';
export type {
  AgentsCollatorFactoryOptions,
  AgentsSearchDocument,
} from './collators/AgentsCollatorFactory';
export { AgentsMemoryCollatorFactory } from './collators/AgentsMemoryCollatorFactory';
export type { AgentsMemorySearchDocument } from './collators/AgentsMemoryCollatorFactory';
export type { AgentsDocumentsSource } from './collators/readAgentsDocuments';
export {
  AgentsRunCollatorFactory,
  DEFAULT_MAX_DOCUMENTS,
} from './collators/AgentsRunCollatorFactory';
export type { AgentsIncrementalCollatorOptions } from './collators/AgentsRunCollatorFactory';
export { AgentsApprovalCollatorFactory } from './collators/AgentsApprovalCollatorFactory';
export type { AgentsRunSearchDocument } from './collators/runSearchDocument';
export type { AgentsApprovalSearchDocument } from './collators/approvalSearchDocument';
