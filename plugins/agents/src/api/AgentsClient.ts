import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  AgentApproval,
  ConfigurationProposal,
  ConfigurationProposalRequest,
  ConfigurationProposalTargets,
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
  RunEvent,
  RunEventsPage,
  SecretInventory,
  ToolCheckRequest,
  ToolCheckResult,
  TriggerDryRunRequest,
  TriggerDryRunResult,
  WebhookDelivery,
  WriteBackRecord,
  WriteBackRequestBody,
  WriteBackRequestResponse,
  WriteBackTargetChoice,
} from '@krate/plugin-agents-common';
import { AgentsApi } from './AgentsApi';
import { readEventStream } from './readEventStream';
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

const RESOURCES = '/apis/agents.krate.dev/v1alpha1';

/** A query string of the defined values, with a leading `?` when there are any. */
function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

const segment = encodeURIComponent;

/** A list parameter as the memory routes read it: comma-separated. */
const commaList = (values?: string[]) =>
  values?.length ? values.join(',') : undefined;

/** The default {@link AgentsApi}, speaking HTTP to the agents backend. @public */
export class AgentsClient implements AgentsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getHealth(): Promise<AgentsHealth> {
    return this.request<AgentsHealth>('/health');
  }

  listResources(
    plural: string,
    options: {
      namespace?: string;
      limit?: number;
      continue?: string;
      labelSelector?: string;
      /** Kinds indexed by repository: only the objects of this `<org>/<repository>`. */
      repository?: string;
    } = {},
  ): Promise<ResourceList> {
    const { namespace, ...params } = options;
    const scope = namespace ? `/namespaces/${segment(namespace)}` : '';
    return this.request<ResourceList>(
      `${RESOURCES}${scope}/${segment(plural)}${query(params)}`,
    );
  }

  getResource(
    plural: string,
    namespace: string,
    name: string,
  ): Promise<AgentsResource> {
    return this.request<AgentsResource>(
      `${RESOURCES}/namespaces/${segment(namespace)}/${segment(
        plural,
      )}/${segment(name)}`,
    );
  }

  patchResource(
    plural: string,
    namespace: string,
    name: string,
    patch: Record<string, unknown>,
  ): Promise<AgentsResource> {
    return this.request<AgentsResource>(
      `${RESOURCES}/namespaces/${segment(namespace)}/${segment(
        plural,
      )}/${segment(name)}`,
      {
        method: 'PATCH',
        headers: { 'content-type': 'application/merge-patch+json' },
        body: JSON.stringify(patch),
      },
    );
  }

  apply(
    documents: AgentsResource[],
    options: { dryRun?: boolean } = {},
  ): Promise<ApplyResponse> {
    return this.request<ApplyResponse>(
      `/apply${options.dryRun ? '?dryRun=All' : ''}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'List', items: documents }),
      },
    );
  }

  listRuns(filters: RunListFilters = {}): Promise<ItemList<AgentDispatchRun>> {
    return this.request(`/runs${query({ ...filters })}`);
  }

  getRun(
    name: string,
    options: { namespace?: string } = {},
  ): Promise<AgentDispatchRun> {
    return this.request(`/runs/${segment(name)}${query(options)}`);
  }

  createRun(request: DispatchRunRequest): Promise<AgentDispatchRun> {
    return this.post('/runs', request);
  }

  previewRun(request: DispatchRunRequest): Promise<ContextPreview> {
    return this.post('/runs/preview', request);
  }

  runAction(
    name: string,
    action: RunAction,
    options: { namespace?: string; prompt?: string } = {},
  ): Promise<AgentDispatchRun> {
    const { namespace, prompt } = options;
    return this.post(
      `/runs/${segment(name)}/${action}${query({ namespace })}`,
      prompt === undefined ? {} : { prompt },
    );
  }

  getRunActions(
    name: string,
    options: { namespace?: string } = {},
  ): Promise<{ items: ActionAvailability<RunAction>[] }> {
    return this.request(`/runs/${segment(name)}/actions${query(options)}`);
  }

  getRunEvents(
    name: string,
    options: { namespace?: string; sinceSeq: number; limit?: number },
  ): Promise<RunEventsPage> {
    return this.request(`/runs/${segment(name)}/events${query(options)}`);
  }

  async streamRunEvents(
    name: string,
    options: RunEventStreamOptions,
  ): Promise<RunStreamEnd | undefined> {
    const { namespace, sinceSeq, signal } = options;
    const response = await this.send(
      `/runs/${segment(name)}/events${query({ namespace, sinceSeq })}`,
      { headers: { accept: 'text/event-stream' }, signal },
    );
    if (!response.body) {
      throw new Error('This browser cannot read a streamed response');
    }
    options.onOpen?.();
    for await (const message of readEventStream(response.body)) {
      options.onActivity?.();
      if (message.kind === 'comment') continue;
      if (message.event === 'run-event') {
        options.onEvent(JSON.parse(message.data) as RunEvent);
      } else if (message.event === 'end') {
        return JSON.parse(message.data) as RunStreamEnd;
      }
    }
    return undefined;
  }

  listApprovals(
    options: {
      namespace?: string;
      phase?: string;
      labelSelector?: string;
      limit?: number;
    } = {},
  ): Promise<ItemList<AgentApproval>> {
    return this.request(`/approvals${query(options)}`);
  }

  decideApproval(
    name: string,
    decision: { decision: 'approve' | 'reject'; reason?: string },
    options: { namespace?: string } = {},
  ): Promise<AgentApproval> {
    return this.post(
      `/approvals/${segment(name)}/decision${query(options)}`,
      decision,
    );
  }

  listStacks(
    options: { namespace?: string; limit?: number } = {},
  ): Promise<ItemList<AgentStack>> {
    return this.request(`/stacks${query(options)}`);
  }

  listRules(
    filters: RuleListFilters = {},
  ): Promise<ItemList<AgentTriggerRule>> {
    return this.request(`/rules${query({ ...filters })}`);
  }

  dryRunRule(
    name: string,
    namespace: string,
    request: TriggerDryRunRequest,
  ): Promise<TriggerDryRunResult> {
    return this.post(
      `/rules/${segment(name)}/dry-run${query({ namespace })}`,
      request,
    );
  }

  dryRunDraftRule(
    namespace: string,
    request: TriggerDraftDryRunRequest,
  ): Promise<TriggerDryRunResult> {
    return this.post(`/rules/dry-run${query({ namespace })}`, request);
  }

  async listSessions(
    filters: SessionListFilters = {},
  ): Promise<ItemList<AgentSession>> {
    const { namespace, runtime, state, ...fields } = filters;
    const scope = namespace ? `/namespaces/${segment(namespace)}` : '';
    const list = await this.request<ResourceList>(
      `${RESOURCES}${scope}/agentsessions${query({
        ...fields,
        phase: state,
        labelSelector: runtime
          ? `agents.krate.dev/runtime=${runtime}`
          : undefined,
      })}`,
    );
    return {
      items: list.items as unknown as AgentSession[],
      continue: list.metadata.continue,
      resourceVersion: list.metadata.resourceVersion,
    };
  }

  listDeliveries(
    filters: DeliveryListFilters = {},
  ): Promise<ItemList<WebhookDelivery>> {
    return this.request(`/deliveries${query({ ...filters })}`);
  }

  replayDelivery(name: string, namespace: string): Promise<WebhookDelivery> {
    return this.post(
      `/deliveries/${segment(name)}/replay${query({ namespace })}`,
      {},
    );
  }

  getDeliverySample(name: string, namespace: string): Promise<DeliverySample> {
    return this.request(
      `/deliveries/${segment(name)}/payload${query({ namespace })}`,
    );
  }

  listWorkspaces(
    filters: WorkspaceListFilters = {},
  ): Promise<ItemList<AgentWorkspace>> {
    return this.request(`/workspaces${query({ ...filters })}`);
  }

  async getWorkspace(namespace: string, name: string): Promise<AgentWorkspace> {
    return (await this.getResource(
      'agentworkspaces',
      namespace,
      name,
    )) as AgentWorkspace;
  }

  workspaceAction(
    name: string,
    request: WorkspaceActionRequest,
  ): Promise<WorkspaceActionResult> {
    return this.post(`/workspaces/${segment(name)}/action`, request);
  }

  getWorkspaceActions(
    namespace: string,
    name: string,
  ): Promise<{ items: ActionAvailability<WorkspaceActionName>[] }> {
    return this.request(
      `/workspaces/${segment(name)}/actions${query({ namespace })}`,
    );
  }

  listCapabilities(): Promise<{ items: RuntimeInfo[] }> {
    return this.request('/capabilities');
  }

  checkTool(request: ToolCheckRequest): Promise<ToolCheckResult> {
    return this.post('/tools/check', request);
  }

  probeMcpServer(namespace: string, name: string): Promise<AgentMcpServer> {
    return this.post(
      `/mcp-servers/${segment(name)}/probe${query({ namespace })}`,
      {},
    );
  }

  getSecretInventory(namespace: string): Promise<SecretInventory> {
    return this.request(`/secrets/inventory${query({ namespace })}`);
  }

  reviewPermission(
    request: PermissionReviewRequest,
  ): Promise<PermissionReview> {
    return this.post('/permissions/review', request);
  }

  getPermissionsOverview(namespace: string): Promise<PermissionsOverview> {
    return this.request(`/permissions/overview${query({ namespace })}`);
  }

  getIdentitiesOverview(namespace: string): Promise<IdentitiesOverview> {
    return this.request(`/identities/overview${query({ namespace })}`);
  }

  listArtifacts(
    namespace: string,
    run: string,
  ): Promise<{ items: AgentReviewArtifact[] }> {
    return this.request(`/artifacts${query({ run, namespace })}`);
  }

  async getArtifactContent(
    namespace: string,
    artifact: string,
  ): Promise<string> {
    const response = await this.send(
      `/artifacts/${segment(artifact)}/content${query({ namespace })}`,
      { headers: { accept: 'text/plain' } },
    );
    return response.text();
  }

  listWriteBackTargets(
    namespace: string,
    artifact: string,
  ): Promise<{ items: WriteBackTargetChoice[] }> {
    return this.request(
      `/artifacts/${segment(artifact)}/targets${query({ namespace })}`,
    );
  }

  listWriteBacks(
    namespace: string,
    artifact: string,
  ): Promise<{ items: WriteBackRecord[] }> {
    return this.request(
      `/artifacts/${segment(artifact)}/write-backs${query({ namespace })}`,
    );
  }

  requestWriteBack(
    namespace: string,
    artifact: string,
    body: WriteBackRequestBody,
  ): Promise<WriteBackRequestResponse> {
    return this.post(
      `/artifacts/${segment(artifact)}/write-back${query({ namespace })}`,
      body,
    );
  }

  configurationProposalTargets(
    namespace: string,
  ): Promise<ConfigurationProposalTargets> {
    return this.request(
      `/configuration/proposals/targets${query({ namespace })}`,
    );
  }

  proposeConfiguration(
    request: ConfigurationProposalRequest,
  ): Promise<ConfigurationProposal> {
    return this.post('/configuration/proposals', request);
  }

  collectArtifacts(
    namespace: string,
    run: string,
  ): Promise<{ items: AgentReviewArtifact[] }> {
    return this.post(
      `/runs/${segment(run)}/artifacts/collect${query({ namespace })}`,
      {},
    );
  }

  listAuditRecords(
    target: AuditRecord['target'],
    options: { limit?: number } = {},
  ): Promise<{ items: AuditRecord[] }> {
    return this.request(`/audit${query({ ...target, limit: options.limit })}`);
  }

  verifyAuditChain(org: string): Promise<AuditChainVerification> {
    return this.request(`/audit/verify${query({ org })}`);
  }

  listMemoryOrgs(): Promise<{ items: { org: string }[] }> {
    return this.request('/memory/orgs');
  }

  getMemoryStatus(org: string, at: MemoryAt = {}): Promise<MemoryStatus> {
    return this.request(`/memory${query({ org, ...at })}`);
  }

  searchMemory(
    org: string,
    search: MemorySearchQuery,
    at: MemoryAt = {},
  ): Promise<MemorySearchAnswer> {
    const { q, regex, ignoreCase, path, kinds, limit } = search;
    return this.request(
      `/memory/search${query({
        org,
        q,
        regex: regex ? 'true' : undefined,
        ignoreCase: ignoreCase ? 'true' : undefined,
        path,
        kind: commaList(kinds),
        limit,
        ...at,
      })}`,
    );
  }

  getMemoryGraph(
    org: string,
    graph: MemoryGraphQuery = {},
    at: MemoryAt = {},
  ): Promise<MemoryGraph> {
    const { kinds, around, depth } = graph;
    return this.request(
      `/memory/graph${query({
        org,
        kind: commaList(kinds),
        around,
        depth,
        ...at,
      })}`,
    );
  }

  getMemoryRecord(
    org: string,
    id: string,
    at: MemoryAt = {},
  ): Promise<MemoryRecordAnswer> {
    return this.request(`/memory/records${query({ org, id, ...at })}`);
  }

  listMemoryUpdates(
    org: string,
    filters: MemoryUpdateListFilters = {},
  ): Promise<MemoryUpdateList> {
    return this.request(`/memory/updates${query({ org, ...filters })}`);
  }

  proposeMemoryUpdate(
    proposal: MemoryUpdateProposal,
  ): Promise<AgentMemoryUpdate> {
    return this.post('/memory/updates', proposal);
  }

  getMemoryUpdate(org: string, name: string): Promise<AgentMemoryUpdate> {
    return this.request(`/memory/updates/${segment(org)}/${segment(name)}`);
  }

  reviewMemoryUpdate(
    org: string,
    name: string,
    review: MemoryUpdateReview,
  ): Promise<AgentMemoryUpdate> {
    return this.post(
      `/memory/updates/${segment(org)}/${segment(name)}/review`,
      review,
    );
  }

  mergeMemoryUpdate(org: string, name: string): Promise<AgentMemoryUpdate> {
    return this.post(
      `/memory/updates/${segment(org)}/${segment(name)}/merge`,
      {},
    );
  }

  previewMemory(request: MemoryPreviewRequest): Promise<MemoryPreview> {
    return this.post('/memory/preview', request);
  }

  getRunMemory(namespace: string, name: string): Promise<RunMemory> {
    return this.request(`/runs/${segment(namespace)}/${segment(name)}/memory`);
  }

  listEntityMemoryRecords(options: {
    entityRef: string;
    repository?: string;
  }): Promise<{ items: EntityMemoryRecord[] }> {
    return this.request(`/memory/entity-records${query(options)}`);
  }

  getBudgetStates(
    filters: BudgetStateFilters = {},
  ): Promise<{ items: BudgetState[] }> {
    return this.request(`/budgets/state${query({ ...filters })}`);
  }

  estimateBudget(request: BudgetEstimateRequest): Promise<BudgetEstimate> {
    return this.post('/budgets/estimate', request);
  }

  getCosts(costsQuery: CostsQuery): Promise<CostsResponse> {
    return this.request(`/costs${query({ ...costsQuery })}`);
  }

  private post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const response = await this.send(path, init);
    return (await response.json()) as T;
  }

  private async send(path: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('agents');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}
