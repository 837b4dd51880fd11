import {
  AuditorService,
  LoggerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { AgentsHealth } from '@krate/plugin-agents-common';
import { KubernetesMode } from '../kubernetes/KubernetesMode';
import { createKubernetesRbacRoutes } from './kubernetesRbacRoutes';
import { createSecretInventoryRoute } from './secretInventoryRoute';
import { createRepositoryRoute } from './repositoryRoute';
import { Repositories } from '../repositories';
import { SecretSources } from '../secrets/SecretSources';
import express from 'express';
import Router from 'express-promise-router';
import { AgentsDatabase } from '../database/AgentsDatabase';
import { AuditStore } from '../database/AuditStore';
import { ResourceAccess } from '../permissions/ResourceAccess';
import { ResourceStore } from '../resources/ResourceStore';
import { RuntimeRegistry } from '../runtimes/RuntimeRegistry';
import { ApprovalService } from '../approvals/ApprovalService';
import { RunEventLog } from '../database/RunEventLog';
import { DispatchService } from '../dispatch/DispatchService';
import { TriggerDeliveries } from '../triggers/TriggerDeliveries';
import { TriggerDryRun } from '../triggers/TriggerDryRun';
import { TriggerEvaluator } from '../triggers/TriggerEvaluator';
import { createConfigurationProposalRoutes } from './configurationProposalRoutes';
import { ConfigurationProposals } from '../writeback/configuration/ConfigurationProposals';
import { createApplyRoute } from './applyRoute';
import { createRunRoutes } from './runRoutes';
import { createResourceRoutes } from './resourceRoutes';
import { ResourceService } from './ResourceService';
import { createDeliveryRoutes } from './deliveryRoutes';
import { createTriggerRoutes } from './triggerRoutes';
import { createTypedRoutes } from './typedRoutes';
import { createWebhookRoutes } from './webhookRoutes';
import { createRunnerDecisionRoutes } from '../kubernetes/pods/runnerDecisionRoutes';
import { createWorkspaceActionRoute } from './workspaceActionRoute';
import { WorkspaceManager } from '../workspaces/WorkspaceManager';
import { rejectNulInUrl } from './rejectNulInUrl';
import { readBody } from './input/readBody';
import { errorResponses } from './errorResponses';
import { createArtifactRoutes } from './artifactRoutes';
import { createAuditVerifyRoute } from './auditVerifyRoute';
import { WriteBackService } from '../writeback/WriteBackService';
import { MemoryService } from '../memory/MemoryService';
import { createMemoryRoutes } from './memoryRoutes';
import { createMemoryUpdateRoutes } from './memoryUpdateRoutes';
import { MemoryUpdates } from '../memory/updates';
import { createRunMemoryRoutes } from './runMemoryRoutes';
import { createMcpProbeRoute } from './mcpProbeRoute';
import { McpHealthController } from '../mcp';
import { createToolCheckRoute } from './toolCheckRoute';
import { createBudgetRoutes } from './budgetRoutes';
import { BudgetPolicy } from '../budgets/BudgetPolicy';
import { createPermissionRoutes } from './permissionRoutes';
import { createIdentityRoutes } from './identityRoutes';
import { CatalogDirectory } from '../permissions/review';
import { AuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';

export interface RouterOptions {
  logger: LoggerService;
  database: AgentsDatabase;
  version: string;
  store: ResourceStore;
  audit: AuditStore;
  access: ResourceAccess;
  auditor: AuditorService;
  runtimes: RuntimeRegistry;
  workspaces: WorkspaceManager;
  dispatch: DispatchService;
  /** Evaluates trigger rules, for dry-runs and webhook deliveries. */
  triggers: { evaluator: TriggerEvaluator; deliveries: TriggerDeliveries };
  approvals: ApprovalService;
  events: RunEventLog;
  writeBack: WriteBackService;
  /** Proposes configuration YAML to the orgs' configuration repositories. */
  proposals: ConfigurationProposals;
  /** The decider's groups, for approvals that only named approvers may decide. */
  userInfo?: UserInfoService;
  /** The orgs' company-brain memory; none configured when absent. */
  memory?: MemoryService;
  /** Proposals, reviews and merges of the orgs' memory; not mounted when absent. */
  memoryUpdates?: MemoryUpdates;
  /** Kubernetes mode: the cluster's health for `/health` and native RBAC; absent when embedded. */
  kubernetes?: Pick<
    KubernetesMode,
    'health' | 'rbacReader' | 'accessReview' | 'runnerCredentials'
  >;
  /** Users and teams for permission reviews and the identities overview; none when absent. */
  catalog?: { catalog: CatalogService; auth: AuthService };
  /** Where Secret and ConfigMap values live, for the secret inventory (names and keys only). */
  secretSources?: SecretSources;
  /** Probes MCP servers for `POST /mcp-servers/:name/probe`; not mounted when absent. */
  mcp?: Pick<McpHealthController, 'probe'>;
  /** The repositories runs work on, for `GET /repositories/:org/:repository`; not mounted when absent. */
  repositories?: Pick<Repositories, 'describe'>;
  /** Budgets and the spend ledger, for `/budgets/*` and `/costs`; not mounted when absent. */
  budgets?: BudgetPolicy;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    logger,
    database,
    version,
    store,
    audit,
    access,
    auditor,
    runtimes,
    workspaces,
    dispatch,
    triggers,
    approvals,
    events,
    writeBack,
    proposals,
    userInfo,
    memory,
    memoryUpdates,
    kubernetes,
    secretSources,
    catalog,
    mcp,
    repositories,
    budgets,
  } = options;
  const service = new ResourceService(store, access, auditor);
  const router = Router();
  router.use(createWebhookRoutes(triggers.deliveries));
  if (kubernetes?.runnerCredentials) {
    router.use(
      createRunnerDecisionRoutes({
        approvals,
        credentials: kubernetes.runnerCredentials,
      }),
    );
  }
  router.use(readBody());
  router.use(rejectNulInUrl);

  router.get('/health', async (_req, res) => {
    await database.ping();
    const cluster = await kubernetes?.health.check();
    const body: AgentsHealth = {
      status: !cluster || cluster.status === 'ok' ? 'ok' : 'degraded',
      version,
      storage: { dialect: database.dialect },
      ...(cluster ? { kubernetes: cluster } : {}),
    };
    res.json(body);
  });

  router.use(createResourceRoutes(service));
  router.use(createApplyRoute(service));
  router.use(createWorkspaceActionRoute({ service, workspaces, auditor }));
  router.use(
    createRunRoutes({
      service,
      dispatch,
      approvals,
      events,
      auditor,
      userInfo,
    }),
  );
  router.use(createArtifactRoutes({ service, writeBack, auditor }));
  router.use(
    createConfigurationProposalRoutes({ service, proposals, auditor }),
  );
  router.use(
    createTriggerRoutes({
      service,
      dryRun: new TriggerDryRun(store, triggers.evaluator, budgets),
      auditor,
    }),
  );
  router.use(
    createDeliveryRoutes({
      service,
      deliveries: triggers.deliveries,
      auditor,
    }),
  );
  router.use(createAuditVerifyRoute({ audit, access }));
  router.use(
    createKubernetesRbacRoutes({
      access,
      reader: kubernetes?.rbacReader,
      logger,
    }),
  );
  if (memory) {
    router.use(createMemoryRoutes({ memory, access, userInfo }));
    if (memoryUpdates) {
      router.use(
        createMemoryUpdateRoutes({
          updates: memoryUpdates,
          access,
          auditor,
          userInfo,
        }),
      );
    }
  }
  router.use(createRunMemoryRoutes({ service, memory, userInfo }));
  router.use(
    createSecretInventoryRoute({
      access,
      store,
      sources: secretSources ?? new SecretSources(),
    }),
  );
  router.use(createToolCheckRoute({ service }));
  if (budgets) {
    router.use(createBudgetRoutes({ service, budgets }));
  }
  if (repositories) {
    router.use(createRepositoryRoute({ access, repositories }));
  }
  const directory = () => new CatalogDirectory(catalog);
  router.use(
    createPermissionRoutes({
      store,
      audit,
      access,
      directory,
      cluster: kubernetes?.accessReview,
    }),
  );
  router.use(createIdentityRoutes({ store, audit, access, directory }));
  if (mcp) {
    router.use(createMcpProbeRoute({ service, mcp, auditor }));
  }
  router.use(createTypedRoutes({ service, audit, runtimes }));
  router.use(errorResponses(logger));
  return router;
}
