import { createApiRef } from '@backstage/core-plugin-api';
import {
  AgentApproval,
  AgentDispatchRun,
  AgentMcpServer,
  AgentMemoryUpdate,
  AgentReviewArtifact,
  AgentSession,
  AgentsHealth,
  AgentStack,
  AgentTriggerRule,
  AgentWorkspace,
  AuditChainVerification,
  AuditRecord,
  BudgetEstimate,
  BudgetState,
  ContextPreview,
  CostsResponse,
  DispatchRunRequest,
  IdentitiesOverview,
  PermissionReview,
  PermissionReviewRequest,
  PermissionsOverview,
  RunEventsPage,
  SecretInventory,
  ToolCheckRequest,
  ToolCheckResult,
  TriggerDryRunRequest,
  TriggerDryRunResult,
  WebhookDelivery,
  WriteBackRecord,
  WriteBackRequestBody,
  ConfigurationProposal,
  ConfigurationProposalRequest,
  ConfigurationProposalTargets,
  WriteBackRequestResponse,
  WriteBackTargetChoice,
} from '@krate/plugin-agents-common';
import {
  ActionAvailability,
  AgentsResource,
  ApplyResponse,
  DeliveryListFilters,
  ItemList,
  ResourceList,
  RuleListFilters,
  RunAction,
  RunEventStreamOptions,
  RunListFilters,
  RunStreamEnd,
  RuntimeInfo,
  SessionListFilters,
  WorkspaceActionName,
  WorkspaceActionRequest,
  WorkspaceActionResult,
  WorkspaceListFilters,
} from './types';
import {
  DeliverySample,
  TriggerDraftDryRunRequest,
} from './ruleAuthoringTypes';
import {
  MemoryAt,
  MemoryGraph,
  MemoryGraphQuery,
  MemoryRecordAnswer,
  MemorySearchAnswer,
  MemorySearchQuery,
  MemoryStatus,
} from './memoryTypes';
import {
  EntityMemoryRecord,
  MemoryPreview,
  MemoryPreviewRequest,
  MemoryUpdateList,
  MemoryUpdateListFilters,
  MemoryUpdateProposal,
  MemoryUpdateReview,
  RunMemory,
} from './memoryUpdateTypes';
import {
  BudgetEstimateRequest,
  BudgetStateFilters,
  CostsQuery,
} from './budgetTypes';

/** Client of the agents backend at `/api/agents`. @public */
export interface AgentsApi {
  getHealth(): Promise<AgentsHealth>;
  /** Lists a kind by its plural, e.g. `agentstacks`, in one org or all. */
  listResources(
    plural: string,
    options?: {
      namespace?: string;
      limit?: number;
      continue?: string;
      labelSelector?: string;
      /** Kinds indexed by repository: only the objects of this `<org>/<repository>`. */
      repository?: string;
    },
  ): Promise<ResourceList>;
  /** Reads one object through the Kubernetes-style route. */
  getResource(
    plural: string,
    namespace: string,
    name: string,
  ): Promise<AgentsResource>;
  /** Changes some fields of one object with a JSON merge patch (`null` removes a field). */
  patchResource(
    plural: string,
    namespace: string,
    name: string,
    patch: Record<string, unknown>,
  ): Promise<AgentsResource>;
  /** `POST /apply`: what `kubectl apply -f` does; forms submit through this too. */
  apply(
    documents: AgentsResource[],
    options?: { dryRun?: boolean },
  ): Promise<ApplyResponse>;

  /** Runs, newest first. */
  listRuns(filters?: RunListFilters): Promise<ItemList<AgentDispatchRun>>;
  getRun(
    name: string,
    options?: { namespace?: string },
  ): Promise<AgentDispatchRun>;
  /** `POST /runs`: dispatches a stack; the answer is the queued run. */
  createRun(request: DispatchRunRequest): Promise<AgentDispatchRun>;
  /** `POST /runs/preview`: the context bundle the same dispatch would assemble; writes nothing. */
  previewRun(request: DispatchRunRequest): Promise<ContextPreview>;
  /** Cancel, retry, resume, fork or continue (with a prompt) a run. */
  runAction(
    name: string,
    action: RunAction,
    options?: { namespace?: string; prompt?: string },
  ): Promise<AgentDispatchRun>;
  /** Which run actions the caller may take now, each with the reason when not. */
  getRunActions(
    name: string,
    options?: { namespace?: string },
  ): Promise<{ items: ActionAvailability<RunAction>[] }>;
  /** One page of a run's event log after `sinceSeq`. */
  getRunEvents(
    name: string,
    options: { namespace?: string; sinceSeq: number; limit?: number },
  ): Promise<RunEventsPage>;
  /**
   * Streams a run's events after `sinceSeq`: history, then live. Resolves with the `end` event
   * once the run has finished and everything was sent, or `undefined` when the connection closed
   * before that; rejects when the request fails.
   */
  streamRunEvents(
    name: string,
    options: RunEventStreamOptions,
  ): Promise<RunStreamEnd | undefined>;

  /**
   * Session records (`AgentSession`, one per attempt), newest first, through the generic list
   * route; `runtime` becomes a label selector, `state` the indexed `status.state`.
   */
  listSessions(filters?: SessionListFilters): Promise<ItemList<AgentSession>>;

  listApprovals(options?: {
    namespace?: string;
    phase?: string;
    labelSelector?: string;
    limit?: number;
  }): Promise<ItemList<AgentApproval>>;
  decideApproval(
    name: string,
    decision: { decision: 'approve' | 'reject'; reason?: string },
    options?: { namespace?: string },
  ): Promise<AgentApproval>;

  listStacks(options?: {
    namespace?: string;
    limit?: number;
  }): Promise<ItemList<AgentStack>>;
  /** Trigger rules, by name. */
  listRules(filters?: RuleListFilters): Promise<ItemList<AgentTriggerRule>>;
  /**
   * `POST /rules/:rule/dry-run`: what a delivery of the sample event would do now. It dispatches
   * nothing but records an AgentTriggerExecution marked `dryRun`.
   */
  dryRunRule(
    name: string,
    namespace: string,
    request: TriggerDryRunRequest,
  ): Promise<TriggerDryRunResult>;
  /**
   * `POST /rules/dry-run`: the same answer for a draft rule that is not applied yet; nothing is
   * recorded, so the answer's execution has no uid.
   */
  dryRunDraftRule(
    namespace: string,
    request: TriggerDraftDryRunRequest,
  ): Promise<TriggerDryRunResult>;
  /** Webhook deliveries the forges sent, newest first. */
  listDeliveries(
    filters?: DeliveryListFilters,
  ): Promise<ItemList<WebhookDelivery>>;
  /**
   * `POST /deliveries/:delivery/replay`: processes the stored payload again as a new delivery
   * (`spec.replayOf` names the original), answered at once and processed in the background.
   * Refused with 409 once the payload is no longer kept.
   */
  replayDelivery(name: string, namespace: string): Promise<WebhookDelivery>;
  /** `GET /deliveries/:delivery/payload`: the delivery's kept body, e.g. as a dry-run's sample. */
  getDeliverySample(name: string, namespace: string): Promise<DeliverySample>;
  listWorkspaces(
    filters?: WorkspaceListFilters,
  ): Promise<ItemList<AgentWorkspace>>;
  getWorkspace(namespace: string, name: string): Promise<AgentWorkspace>;
  /** A lifecycle action; the server refuses with 400, 403 or 409 and says why. */
  workspaceAction(
    name: string,
    request: WorkspaceActionRequest,
  ): Promise<WorkspaceActionResult>;
  /**
   * Which lifecycle actions the caller may take on the workspace now, each with the reason when
   * not. Backends older than the route answer 404.
   */
  getWorkspaceActions(
    namespace: string,
    name: string,
  ): Promise<{ items: ActionAvailability<WorkspaceActionName>[] }>;
  listCapabilities(): Promise<{ items: RuntimeInfo[] }>;
  /** `POST /tools/check`: whether a tool profile allows a command, a path (write) or a host, and why. */
  checkTool(request: ToolCheckRequest): Promise<ToolCheckResult>;
  /** `POST /mcp-servers/:name/probe`: probes the MCP server now; answers it with the probe's status. */
  probeMcpServer(namespace: string, name: string): Promise<AgentMcpServer>;
  /** `GET /secrets/inventory`: an org's Secrets and ConfigMaps with keys, consumers and grants, never values. */
  getSecretInventory(namespace: string): Promise<SecretInventory>;
  /** `POST /permissions/review`: whether a subject may take an action or run a stack, and the chain that decides. */
  reviewPermission(request: PermissionReviewRequest): Promise<PermissionReview>;
  /** `GET /permissions/overview`: an org's role templates, bindings, grant graph and warnings. */
  getPermissionsOverview(namespace: string): Promise<PermissionsOverview>;
  /** `GET /identities/overview`: an org's users, teams and service accounts with what they hold. */
  getIdentitiesOverview(namespace: string): Promise<IdentitiesOverview>;

  /** The run's review artifacts, oldest first. */
  listArtifacts(
    namespace: string,
    run: string,
  ): Promise<{ items: AgentReviewArtifact[] }>;
  /** An artifact's content: a unified git diff for a patch, markdown for a comment or review. */
  getArtifactContent(namespace: string, artifact: string): Promise<string>;
  /** The write-back targets of the artifact's repository, each with why it is unavailable. */
  listWriteBackTargets(
    namespace: string,
    artifact: string,
  ): Promise<{ items: WriteBackTargetChoice[] }>;
  /** The write-back operations requested for an artifact. */
  listWriteBacks(
    namespace: string,
    artifact: string,
  ): Promise<{ items: WriteBackRecord[] }>;
  /**
   * `POST /artifacts/:artifact/write-back`: asks to write the artifact to a target once; the
   * answer names the approval it waits on when policy asks for one. Refused with 400 (the field),
   * 403 or 409 (the artifact was superseded, the workspace or the stack's policy forbids it).
   */
  requestWriteBack(
    namespace: string,
    artifact: string,
    body: WriteBackRequestBody,
  ): Promise<WriteBackRequestResponse>;
  /** Where the org's configuration YAML is proposed, and the targets that can write there. */
  configurationProposalTargets(
    namespace: string,
  ): Promise<ConfigurationProposalTargets>;
  /**
   * `POST /configuration/proposals`: proposes a configuration object's YAML as a branch, and a
   * pull request where a forge target is installed; the same object and YAML again answers the
   * same proposal. A failed write comes back with `state: failed` and its message.
   */
  proposeConfiguration(
    request: ConfigurationProposalRequest,
  ): Promise<ConfigurationProposal>;
  /**
   * `POST /runs/:run/artifacts/collect`: takes the workspace diff again; a changed workspace makes
   * a new artifact and supersedes the old one.
   */
  collectArtifacts(
    namespace: string,
    run: string,
  ): Promise<{ items: AgentReviewArtifact[] }>;
  /** `GET /audit`: the audit records of one object, newest first. */
  listAuditRecords(
    target: AuditRecord['target'],
    options?: { limit?: number },
  ): Promise<{ items: AuditRecord[] }>;
  /** `GET /audit/verify`: walks the org's audit hash chain and reports the first break. */
  verifyAuditChain(org: string): Promise<AuditChainVerification>;

  /** `GET /budgets/state`: the budgets covering a stack, rule or owner, with their window's spend. */
  getBudgetStates(
    filters?: BudgetStateFilters,
  ): Promise<{ items: BudgetState[] }>;
  /** `POST /budgets/estimate`: one more run's expected cost and what the budgets would say. */
  estimateBudget(request: BudgetEstimateRequest): Promise<BudgetEstimate>;
  /** `GET /costs`: the spend grouped by attempt, run, stack, rule or owner, most expensive first. */
  getCosts(costsQuery: CostsQuery): Promise<CostsResponse>;

  /** `GET /memory/orgs`: the orgs whose memory the caller may read. */
  listMemoryOrgs(): Promise<{ items: { org: string }[] }>;
  /** `GET /memory`: record counts, ontology status and index freshness at one commit. */
  getMemoryStatus(org: string, at?: MemoryAt): Promise<MemoryStatus>;
  /** `GET /memory/search`: matching lines with citations; hidden matches are only counted. */
  searchMemory(
    org: string,
    search: MemorySearchQuery,
    at?: MemoryAt,
  ): Promise<MemorySearchAnswer>;
  /** `GET /memory/graph`: records and their edges, the whole graph or around one record. */
  getMemoryGraph(
    org: string,
    graph?: MemoryGraphQuery,
    at?: MemoryAt,
  ): Promise<MemoryGraph>;
  /** `GET /memory/records`: one record and its file; 404 for a record the caller may not see. */
  getMemoryRecord(
    org: string,
    id: string,
    at?: MemoryAt,
  ): Promise<MemoryRecordAnswer>;
  /** `GET /memory/updates`: an org's proposed updates the caller may see, newest first. */
  listMemoryUpdates(
    org: string,
    filters?: MemoryUpdateListFilters,
  ): Promise<MemoryUpdateList>;
  /** `POST /memory/updates`: proposes files to write or delete; the answer waits for review. */
  proposeMemoryUpdate(
    proposal: MemoryUpdateProposal,
  ): Promise<AgentMemoryUpdate>;
  getMemoryUpdate(org: string, name: string): Promise<AgentMemoryUpdate>;
  /** Approves or rejects a proposal; refused with 403 for the proposer's own, 409 once decided. */
  reviewMemoryUpdate(
    org: string,
    name: string,
    review: MemoryUpdateReview,
  ): Promise<AgentMemoryUpdate>;
  /** Commits an approved proposal to the memory; 409 when it no longer applies. */
  mergeMemoryUpdate(org: string, name: string): Promise<AgentMemoryUpdate>;
  /** `POST /memory/preview`: what memory queries would select at a point in time. */
  previewMemory(request: MemoryPreviewRequest): Promise<MemoryPreview>;
  /** `GET /runs/:namespace/:name/memory`: the memory a run read and its diff against now. */
  getRunMemory(namespace: string, name: string): Promise<RunMemory>;
  /** `GET /memory/entity-records`: the records naming a catalog entity or its repository. */
  listEntityMemoryRecords(options: {
    entityRef: string;
    repository?: string;
  }): Promise<{ items: EntityMemoryRecord[] }>;
}

/** @public */
export const agentsApiRef = createApiRef<AgentsApi>({ id: 'plugin.agents' });
