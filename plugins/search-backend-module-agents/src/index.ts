/**
 * Search collator for Krate Agents resources.
 *
 * @packageDocumentation
 */

export { searchModuleAgentsCollator as default } from './module';
export { AgentsCollatorFactory } from './collators/AgentsCollatorFactory';
export type {
  AgentsCollatorFactoryOptions,
  AgentsSearchDocument,
} from './collators/AgentsCollatorFactory';
