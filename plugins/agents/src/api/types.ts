import {
  AgentsObject,
  AgentWorkspace,
  RunEvent,
  WORKSPACE_ACTIONS,
} from '@krate/plugin-agents-common';

/** An agents resource as the API returns it. @public */
export type AgentsResource = AgentsObject;

export type {
  AuditChainVerification,
  AuditRecord,
  ContextPreview,
  WriteBackRecord,
  WriteBackRequestBody,
  WriteBackRequestResponse,
  WriteBackTargetChoice,
} from '@krate/plugin-agents-common';

/** One document's outcome of `POST /apply`. @public */
export interface ApplyItem {
  index: number;
  kind?: string;
  namespace?: string;
  name?: string;
  result: 'created' | 'configured' | 'unchanged' | 'invalid';
  errors?: { path: string; message: string }[];
  object?: AgentsResource;
  diff?: string;
}

/** @public */
export interface ApplyResponse {
  dryRun: boolean;
  items: ApplyItem[];
}

/** @public */
export interface ResourceList {
  items: AgentsResource[];
  metadata: { resourceVersion: string; continue?: string };
}

/** Answer of the typed list routes (`GET /runs`, `/approvals`, `/stacks`, …). @public */
export interface ItemList<T> {
  items: T[];
  continue?: string;
  resourceVersion: string;
}

/** Filters of `GET /runs`; each is an indexed equality filter. @public */
export interface RunListFilters {
  namespace?: string;
  repository?: string;
  stack?: string;
  phase?: string;
  source?: string;
  limit?: number;
  continue?: string;
}

export type { RunAction } from '@krate/plugin-agents-common';

/**
 * Whether the caller may take an action now, from `GET /runs/:run/actions` or
 * `GET /workspaces/:workspace/actions`. `reason` is the missing permission or the refusal the
 * action would answer. @public
 */
export interface ActionAvailability<A extends string = string> {
  action: A;
  /** The permission the action needs, e.g. `agents.run.cancel`. */
  permission: string;
  allowed: boolean;
  reason?: string;
}

/** A registered agent runtime, from `GET /capabilities`. @public */
export interface RuntimeInfo {
  id: string;
  displayName: string;
  capabilities: {
    subagents?: boolean;
    mcp?: boolean;
    resume?: boolean;
    approvals?: string;
  };
}

/** The `end` event closing a run's event stream. @public */
export interface RunStreamEnd {
  lastSeq: number;
  phase: string | null;
}

/** @public */
export interface RunEventStreamOptions {
  namespace?: string;
  /** Events after this seq are sent. */
  sinceSeq: number;
  signal?: AbortSignal;
  /** The server answered and the stream is open. */
  onOpen?: () => void;
  onEvent: (event: RunEvent) => void;
  /** Anything arrived, heartbeats included. */
  onActivity?: () => void;
}

/** Filters of `GET /rules`. @public */
export interface RuleListFilters {
  namespace?: string;
  limit?: number;
  continue?: string;
}

/** Filters of `GET /deliveries`, newest first. @public */
export interface DeliveryListFilters {
  namespace?: string;
  /** The delivery's `status.state`: `received`, `processed` or `failed`. */
  phase?: string;
  limit?: number;
  continue?: string;
}

/** Filters of `GET /workspaces`. @public */
export interface WorkspaceListFilters {
  namespace?: string;
  repository?: string;
  /** The lifecycle state: `active`, `idle`, `archived` or `missing`. */
  state?: string;
  limit?: number;
}

/**
 * Filters of the session list; each is an equality filter the backend applies before paging.
 * @public
 */
export interface SessionListFilters {
  namespace?: string;
  /** The runtime id (session records carry it as the `agents.krate.dev/runtime` label). */
  runtime?: string;
  stack?: string;
  repository?: string;
  /** `status.state`: `binding-pending`, `active`, `idle` or `ended`. */
  state?: string;
  limit?: number;
  continue?: string;
}

/** The body of `POST /workspaces/:workspace/action`, without the name. @public */
export interface WorkspaceActionRequest {
  namespace: string;
  action: WorkspaceActionName;
  /** The action's parameters, e.g. `notes` of `notes-save`, `reviewed` of `cleanup`. */
  [parameter: string]: unknown;
}

/** @public */
export type WorkspaceActionName = (typeof WORKSPACE_ACTIONS)[number];

/** What `POST /workspaces/:workspace/action` answers. @public */
export interface WorkspaceActionResult {
  action: NonNullable<NonNullable<AgentWorkspace['status']>['lastAction']>;
  status: NonNullable<AgentWorkspace['status']>;
}
