export { agentsApiRef } from './AgentsApi';
export type { AgentsApi } from './AgentsApi';
export { AgentsClient } from './AgentsClient';
export type {
  AgentsResource,
  ApplyItem,
  ApplyResponse,
  ResourceList,
} from './types';
