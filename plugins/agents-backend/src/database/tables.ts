/**
 * Where each kind's objects live: configuration kinds share agents_config_objects; each execution
 * kind has its own table (created by the migrations, which freeze this list on purpose).
 */
export const CONFIG_TABLE = 'agents_config_objects';

export const EXECUTION_TABLES: Readonly<Record<string, string>> = {
  AgentDispatchRun: 'agents_dispatch_runs',
  AgentDispatchAttempt: 'agents_dispatch_attempts',
  AgentContextBundle: 'agents_context_bundles',
  AgentSession: 'agents_sessions',
  AgentWorkspace: 'agents_workspaces',
  AgentApproval: 'agents_approvals',
  AgentReviewArtifact: 'agents_review_artifacts',
  AgentTriggerExecution: 'agents_trigger_executions',
  AgentToolEvent: 'agents_tool_events',
  WorkItem: 'agents_work_items',
  WorkItemWorkspaceLink: 'agents_work_item_workspace_links',
  WorkItemSessionLink: 'agents_work_item_session_links',
  WebhookDelivery: 'agents_webhook_deliveries',
  AgentMemoryUpdate: 'agents_memory_updates',
};

export const INDEX_COLUMNS = [
  'repository',
  'stack',
  'phase',
  'source',
] as const;

/** Column sizes from the migration: longer values are refused as input, not cut or failed on. */
export const INDEX_COLUMN_LENGTHS: Record<
  (typeof INDEX_COLUMNS)[number],
  number
> = {
  repository: 255,
  stack: 63,
  phase: 32,
  source: 64,
};
