import {
  createExtensionPoint,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  ActionClass,
  RunEventPayload,
  RunEventUsage,
} from '@krate/plugin-agents-common';
import { LaunchSecrets } from './secrets';

/**
 * What an agent runtime can do. The stack controller checks a stack's needs against these.
 * @public
 */
export interface AgentRuntimeCapabilities {
  /** The runtime can dispatch subagents. */
  subagents: boolean;
  /** The runtime can connect MCP servers. */
  mcp: boolean;
  /** A finished or interrupted session can be resumed (resume and continue attempts). */
  resume: boolean;
  /**
   * How approval gates are honoured: `enforced` when the runtime blocks the action until a
   * decision, `advisory` when its hooks fail open.
   */
  approvals: 'enforced' | 'advisory' | 'none';
  /**
   * The runtime's work outlives a backend restart (e.g. it runs in an Agent Mux gateway), so a
   * recovered attempt can re-attach and stream on from its last seq.
   */
  reattach?: boolean;
  /**
   * With `reattach`: the runtime binds its run id before it does anything, so an attempt whose
   * instance stopped before the binding starts over instead of failing with RuntimeLost.
   */
  startsOverWhenUnbound?: boolean;
}

/**
 * Whether a runtime can run here right now (binary installed, gateway reachable).
 * @public
 */
export type AgentRuntimeAvailability =
  | { available: true; detail?: string }
  | {
      available: false;
      /** Why not, for the stack's `Invalid` condition. */
      reason: string;
      /** What an operator does about it, e.g. the install command. */
      hint?: string;
    };

/**
 * The stack's effective launch profile as the stack controller resolved it: every reference
 * replaced by the referenced object's spec. A run snapshots it when it launches.
 * @public
 */
export interface LaunchProfile {
  stack: string;
  runtime: string;
  model?: string;
  systemPrompt?: string;
  approvalMode: 'always' | 'policy' | 'never';
  allowSelfApproval: boolean;
  /** Who is notified of approval requests (user/group entity refs). */
  approvers?: string[];
  /** The resolved AgentToolProfile spec, when the stack names one. */
  toolProfile?: { name: string; spec: Record<string, any> };
  mcpServers: { name: string; spec: Record<string, any> }[];
  skills: { name: string; spec: Record<string, any> }[];
  subagents: { name: string; spec: Record<string, any> }[];
  runnerPolicy?: Record<string, any>;
  writeBackPolicy?: Record<string, any>;
  runtimeServiceAccount?: string;
  runnerServiceAccount?: string;
  workspacePolicy?: string;
  defaultContextLabels: string[];
  /** The scripted runtime's steps (`spec.script`). */
  script?: {
    steps: Record<string, any>[];
    continueSteps?: Record<string, any>[];
  };
}

/**
 * What an attempt asks a runtime to do.
 * @public
 */
export interface AgentLaunch {
  namespace: string;
  run: string;
  attempt: string;
  attemptKind: 'initial' | 'retry' | 'resume' | 'fork' | 'continue';
  /** The assembled, redacted prompt (the context bundle's parts joined). */
  prompt: string;
  profile: LaunchProfile;
  /** Absolute path of the attempt's working directory (a workspace or a checkout). */
  workingDirectory: string;
  /** Runtime session to resume, fork or continue from. */
  sessionId?: string;
  /** Set when a recovered attempt re-attaches (runtimes with `reattach`). */
  reattach?: AgentReattach;
  /**
   * The granted values for this attempt's consumers. A runtime injects each into its consumer
   * only (an MCP server's process or headers, the tool environment) and never into the prompt,
   * events or files in the working directory.
   */
  secrets?: LaunchSecrets;
}

/**
 * Where a recovered attempt picks up the runtime's work after a backend restart.
 * @public
 */
export interface AgentReattach {
  runtimeRunId: string;
  /** The last runtime seq the log holds, to stream on from. */
  lastRuntimeSeq: number;
  /** Human gates still pending from before the restart, to wait on again. */
  pendingApprovals: { approval: string; action: AgentActionRequest }[];
  /**
   * Human gates of the attempt decided already, possibly while no instance drove it: a runtime
   * that asks again for the same interaction takes this decision instead of a new approval.
   */
  decidedApprovals?: {
    approval: string;
    action: AgentActionRequest;
    decision: AgentActionDecision;
  }[];
  /** The `runTotal` of the attempt's last `cost` event, to count on from. */
  lastRunTotal?: RunEventUsage;
}

/**
 * A privileged action a runtime wants to take; the backend decides it from the tool profile,
 * the stack's approval mode and human approvals.
 * @public
 */
export interface AgentActionRequest {
  actionClass: ActionClass;
  /** What the action touches: the command line, file path, host, Secret key… */
  target: string;
  /** Native tool name, when the action is a tool call. */
  toolName?: string;
  /** The request as the runtime saw it; secrets are redacted before it is stored. */
  detail?: unknown;
  /** The runtime's id for the interaction, if it has one. */
  interactionId?: string;
}

/**
 * The decision on an action. `approval` names the AgentApproval when a human gate was involved.
 * @public
 */
export interface AgentActionDecision {
  decision: 'allow' | 'deny';
  reason: string;
  approval?: string;
  /** True when a human decision is still pending (only with `wait: false`). */
  pending?: boolean;
}

/**
 * The backend side of a running attempt: where a runtime sends events and asks for decisions.
 * @public
 */
export interface AgentAttemptHost {
  /**
   * Appends an event to the attempt's log. Events are batched and persisted in order; the seq
   * is assigned by the log. `runtimeSeq` is the runtime's own sequence number, when it has one:
   * the log remembers the highest for re-attaching.
   */
  emit(event: RunEventPayload, options?: { runtimeSeq?: number }): void;
  /**
   * Stores every event emitted so far and then `runtimeSeq` as the point a re-attached attempt
   * resumes from (`AgentReattach.lastRuntimeSeq`); resolves once both are stored. Rejects when
   * the instance no longer holds the attempt, so a runtime never acts past a lost lease.
   */
  checkpoint(runtimeSeq: number): Promise<void>;
  /** Records the runtime's run id (e.g. the Agent Mux ULID) on the attempt. */
  bindRuntimeRun(runtimeRunId: string): Promise<void>;
  /** Records the session id once the runtime reports it (ends SessionBindingPending). */
  bindSession(sessionId: string): Promise<void>;
  /**
   * Decides a privileged action. Policy allows or denies at once; when a human must decide, an
   * AgentApproval is created and the run goes to Waiting. With `wait: true` (the default) the
   * promise resolves when a human decides or the approval expires (fail closed). With
   * `wait: false` it resolves at once with `deny` and `pending: true`: runtimes whose hooks
   * fail open deny, hold the gate on the backend's side, then `awaitApproval`.
   */
  authorize(
    request: AgentActionRequest,
    options?: { wait?: boolean },
  ): Promise<AgentActionDecision>;
  /** Waits for a pending approval's decision (expiry counts as a denial). */
  awaitApproval(approval: string): Promise<AgentActionDecision>;
  /**
   * Aborted when the attempt is cancelled, the backend shuts down or the lease is lost; the
   * reason is an {@link AgentAttemptStop}.
   */
  readonly signal: AbortSignal;
  readonly logger: LoggerService;
}

/**
 * Why the backend aborted `host.signal`: the user cancelled, the backend is shutting down, or
 * another instance took the attempt over. A runtime whose work outlives the backend (`reattach`)
 * stops its work only on `cancel`.
 * @public
 */
export type AgentAttemptStopReason = 'cancel' | 'shutdown' | 'lease-lost';

/**
 * The abort reason of `host.signal`.
 * @public
 */
export class AgentAttemptStop extends Error {
  readonly name = 'AgentAttemptStop';

  constructor(readonly stopReason: AgentAttemptStopReason) {
    super(stopReason);
  }
}

/**
 * How an attempt ended, as the runtime reports it.
 * @public
 */
export interface AgentAttemptOutcome {
  phase: 'Succeeded' | 'Failed' | 'Cancelled';
  /** CamelCase reason, e.g. Completed, ToolFailed, ApprovalRejected, RuntimeError. */
  reason: string;
  message?: string;
}

/**
 * An agent runtime that modules contribute to the agents backend.
 *
 * The dispatch controller calls `run` once per attempt (initial, retry, resume, fork, continue —
 * `launch.attemptKind` and `launch.sessionId` say which) and, after a backend restart, again
 * with `launch.reattach` for runtimes that declare `reattach`. The runtime streams events and
 * asks for decisions through the host, answers approvals to its agent, stops when
 * `host.signal` aborts (cancel), and resolves with the outcome.
 * @public
 */
export interface AgentRuntime {
  /** Stable id that stacks name in `spec.runtime`, e.g. `scripted`. */
  readonly id: string;
  readonly displayName: string;
  readonly capabilities: AgentRuntimeCapabilities;
  /** Whether the runtime can run here; absent means always available. */
  checkAvailability?(): Promise<AgentRuntimeAvailability>;
  run(
    launch: AgentLaunch,
    host: AgentAttemptHost,
  ): Promise<AgentAttemptOutcome>;
}

/**
 * Lets modules register agent runtimes with the agents backend.
 * @public
 */
export interface AgentsRuntimesExtensionPoint {
  addRuntime(runtime: AgentRuntime): void;
}

/**
 * Extension point for agent runtimes.
 * @public
 */
export const agentsRuntimesExtensionPoint =
  createExtensionPoint<AgentsRuntimesExtensionPoint>({
    id: 'agents.runtimes',
  });
