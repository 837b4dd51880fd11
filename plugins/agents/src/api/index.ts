export { agentsApiRef } from './AgentsApi';
export type { AgentsApi } from './AgentsApi';
export { AgentsClient } from './AgentsClient';
export type {
  ActionAvailability,
  AgentsResource,
  ApplyItem,
  ApplyResponse,
  AuditChainVerification,
  AuditRecord,
  ContextPreview,
  DeliveryListFilters,
  ItemList,
  ResourceList,
  RunAction,
  RunEventStreamOptions,
  RuleListFilters,
  RunListFilters,
  RunStreamEnd,
  RuntimeInfo,
  WorkspaceActionName,
  WorkspaceActionRequest,
  WorkspaceActionResult,
  WorkspaceListFilters,
  WriteBackRecord,
  WriteBackRequestBody,
  WriteBackRequestResponse,
  WriteBackTargetChoice,
} from './types';
