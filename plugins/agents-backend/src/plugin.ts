import { AgentsApiCaller } from './actions/AgentsApiCaller';
import { registerAgentsActions } from './actions/registerAgentsActions';
import { configuredMemory } from './memory/configuredMemory';
import { MemoryService } from './memory/MemoryService';
import {
  catalogIdentities,
  MemoryUpdates,
  RunMemoryImports,
} from './memory/updates';
import { pendingUpdateCounts } from './memory/context/pendingUpdates';
import { serviceMemoryRequester } from './memory/context/MemoryRequester';
import { sourceRepositories } from './memory/context/sourceRepositories';
import { StaleRecords } from './memory/context/StaleRecords';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { agentsPermissions } from '@krate/plugin-agents-common';
import {
  agentsRuntimesExtensionPoint,
  agentsSecretSourcesExtensionPoint,
  agentsWriteBackExtensionPoint,
} from '@krate/plugin-agents-node';
import os from 'node:os';
import path from 'node:path';
import { ApprovalNotifier } from './approvals/ApprovalNotifier';
import { repositoryEntities } from './approvals/repositoryEntities';
import { repositoryOwners } from './approvals/repositoryOwners';
import { bootstrapResources } from './bootstrap/bootstrapResources';
import { TriggerRuleController } from './controllers/rule';
import { SkillController } from './controllers/skill';
import { StackController, StackResolver } from './controllers/stack';
import { createDispatchEngine } from './dispatch/createDispatchEngine';
import { RunWorkspaces } from './dispatch/RunWorkspaces';
import { AgentsDatabase } from './database/AgentsDatabase';
import { AuditSealer } from './database/AuditSealer';
import { DatabaseAuditStore } from './database/AuditStore';
import { DatabaseResourceStore } from './database/DatabaseResourceStore';
import { WebhookPayloads } from './database/WebhookPayloads';
import { CachedPermissionDecisions } from './permissions/CachedPermissionDecisions';
import { ResourceAccess } from './permissions/ResourceAccess';
import { TriggerDeliveries } from './triggers/TriggerDeliveries';
import { TriggerEvaluator } from './triggers/TriggerEvaluator';
import { RuleFiring } from './triggers/RuleFiring';
import { RunGate } from './triggers/gated/RunGate';
import { BudgetPolicy } from './budgets/BudgetPolicy';
import { ModelPrices } from './budgets/ModelPrices';
import { SpendLedger } from './budgets/SpendLedger';
import { TriggerSchedules } from './triggers/schedules/TriggerSchedules';
import { readWebhookEndpoints } from './triggers/webhookEndpoints';
import { permissionResources } from './permissions/permissionResources';
import { agentsPermissionRules, agentsResourceRef } from './permissions/rules';
import { createRepositories } from './repositories';
import { RuntimeRegistry } from './runtimes/RuntimeRegistry';
import { readPackageVersion } from './service/readPackageVersion';
import { createRouter } from './service/router';
import { ChangeSignals } from './signals/ChangeSignals';
import { InterruptedActions } from './workspaces/InterruptedActions';
import { WorkspaceInventory } from './workspaces/WorkspaceInventory';
import { WorkspaceManager } from './workspaces/WorkspaceManager';
import { WorkspaceRetention } from './workspaces/WorkspaceRetention';
import { WorkItemDeliveries } from './workItems/WorkItemDeliveries';
import { createWriteBack } from './writeback/createWriteBack';
import { GitBranchTarget } from './writeback/GitBranchTarget';
import { ReviewFeedback } from './writeback/ReviewFeedback';
import { WriteBackTargets } from './writeback/WriteBackTargets';
import { KubernetesMode } from './kubernetes/KubernetesMode';
import { LaunchSecretResolver } from './secrets/LaunchSecretResolver';
import { SecretSources } from './secrets/SecretSources';
import { ConfigSecretSource } from './secrets/ConfigSecretSource';
import { McpHealthController, McpProbe, readMcpProbeConfig } from './mcp';

/**
 * The agents backend plugin, mounted at `/api/agents`.
 * @public
 */
export const agentsPlugin = createBackendPlugin({
  pluginId: 'agents',
  register(env) {
    const runtimes = new RuntimeRegistry();
    env.registerExtensionPoint(agentsRuntimesExtensionPoint, runtimes);
    const writeBackTargets = new WriteBackTargets();
    writeBackTargets.addTarget(new GitBranchTarget());
    env.registerExtensionPoint(agentsWriteBackExtensionPoint, writeBackTargets);
    const moduleSecretSources = new SecretSources();
    env.registerExtensionPoint(
      agentsSecretSourcesExtensionPoint,
      moduleSecretSources,
    );

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        actionsRegistry: actionsRegistryServiceRef,
        userInfo: coreServices.userInfo,
        catalog: catalogServiceRef,
        signals: signalsServiceRef,
        notifications: notificationService,
      },
      async init(deps) {
        const {
          config,
          httpRouter,
          logger,
          permissionsRegistry,
          scheduler,
          lifecycle,
        } = deps;
        const database = await AgentsDatabase.create({
          database: deps.database,
        });
        const audit = new DatabaseAuditStore(database.knex);
        const databaseStore = new DatabaseResourceStore({
          knex: database.knex,
          audit,
        });
        const kubernetes = KubernetesMode.create({
          config,
          database: databaseStore,
          audit,
          logger,
        });
        await kubernetes?.start();
        const store = kubernetes?.store ?? databaseStore;
        // The first source that holds a key wins: configuration, the cluster, then modules'.
        const secretSources = new SecretSources([
          new ConfigSecretSource(config),
          ...(kubernetes ? [kubernetes.secrets] : []),
          ...moduleSecretSources.sources,
        ]);
        const launchSecrets = new LaunchSecretResolver({
          store,
          sources: secretSources,
        });

        permissionsRegistry.addResourceType({
          resourceRef: agentsResourceRef,
          permissions: agentsPermissions,
          rules: agentsPermissionRules,
          getResources: permissionResources(store),
        });
        const access = new ResourceAccess(
          deps.httpAuth,
          new CachedPermissionDecisions(deps.permissions, {
            ttlMs:
              (config.getOptionalNumber(
                'agents.permissions.decisionCacheSeconds',
              ) ?? 10) * 1000,
          }),
          permissionsRegistry.getPermissionRuleset(agentsResourceRef),
        );

        const retainChanges =
          config.getOptionalNumber('agents.changeFeed.retainChanges') ??
          100_000;
        await scheduler.scheduleTask({
          id: 'agents-change-feed-compaction',
          frequency: { minutes: 10 },
          timeout: { minutes: 5 },
          initialDelay: { minutes: 1 },
          fn: async () => {
            const dropped = await databaseStore.compactChanges(retainChanges);
            if (dropped > 0) {
              logger.info(`Compacted ${dropped} change feed entries`);
            }
          },
        });

        const bootstrapPaths =
          config.getOptionalStringArray('agents.bootstrap.resources') ?? [];
        if (bootstrapPaths.length > 0) {
          const seeded = await bootstrapResources({
            paths: bootstrapPaths,
            store,
            logger,
          });
          logger.info(
            `Agents bootstrap: ${seeded.created} created, ${seeded.existing} already present, ${seeded.skipped} skipped`,
          );
        }

        const dataDir = process.env.KRATE_DATA_DIR || os.tmpdir();
        const repositoryRoots = (
          config.getOptionalStringArray(
            'agents.workspaces.repositoryRoots',
          ) ?? [path.join(dataDir, 'repositories')]
        ).map(root => path.resolve(root));
        const repositories = await createRepositories({
          config,
          dataDir,
          repositoryRoots,
          logger: logger.child({ controller: 'repositories' }),
          catalog: { service: deps.catalog, auth: deps.auth },
        });
        const memory = new MemoryService(
          await configuredMemory({
            config,
            dataDir,
            logger: logger.child({ controller: 'memory' }),
          }),
          {
            staleRecords: new StaleRecords(sourceRepositories(repositories)),
            pendingUpdates: pendingUpdateCounts(store),
          },
        );
        const workspaces = WorkspaceManager.create({
          store,
          root: path.resolve(
            config.getOptionalString('agents.workspaces.root') ??
              path.join(dataDir, 'workspaces'),
          ),
          repositoryRoots: repositories.roots,
          repositories,
        });
        const interrupted = new InterruptedActions({ store, logger });
        await interrupted.recoverAll();
        const inventory = new WorkspaceInventory({ store, logger });
        const retention = new WorkspaceRetention({
          store,
          workspaces,
          logger,
        });
        await scheduler.scheduleTask({
          id: 'agents-workspace-inventory',
          frequency: { minutes: 5 },
          timeout: { minutes: 4 },
          initialDelay: { seconds: 30 },
          fn: async () => {
            await interrupted.recoverAll();
            const { checked, updated, missing } = await inventory.refreshAll();
            if (updated > 0) {
              logger.info(
                `Workspace inventory: ${checked} checked, ${updated} updated, ${missing} missing`,
              );
            }
            await retention.applyAll();
          },
        });

        const accessReview = kubernetes?.accessReview;
        const stackResolver = new StackResolver({
          store,
          runtimes,
          accessReview,
          secrets: secretSources,
        });
        const stackController = new StackController({
          store,
          runtimes,
          accessReview,
          secrets: secretSources,
          logger: logger.child({ controller: 'stack' }),
        });
        const webhookEndpoints = readWebhookEndpoints(config);
        const ruleController = new TriggerRuleController({
          store,
          endpoints: webhookEndpoints,
          logger: logger.child({ controller: 'trigger' }),
        });
        const skillController = new SkillController({
          store,
          runtimes,
          repositories,
          logger: logger.child({ controller: 'skill' }),
        });
        const mcpProbing = readMcpProbeConfig(config);
        const mcpHealth = new McpHealthController({
          store,
          probe: new McpProbe({ ...mcpProbing.probe, secrets: launchSecrets }),
          logger: logger.child({ controller: 'mcp-health' }),
        });
        await scheduler.scheduleTask({
          id: 'agents-mcp-health',
          frequency: { seconds: mcpProbing.intervalSeconds },
          timeout: { seconds: mcpProbing.intervalSeconds },
          initialDelay: { seconds: 20 },
          fn: async () => {
            await mcpHealth.probeAll();
          },
        });
        const engine = createDispatchEngine({
          config,
          knex: database.knex,
          store,
          runtimes,
          profiles: stackResolver,
          logger: logger.child({ controller: 'dispatch' }),
          dataDir,
          runWorkspaces: new RunWorkspaces({
            workspaces,
            repositories,
            store,
          }),
          approvalListener: new ApprovalNotifier({
            notifications: deps.notifications,
            repositoryEntities: repositoryEntities({
              catalog: deps.catalog,
              auth: deps.auth,
            }),
            logger: logger.child({ controller: 'approval-notifications' }),
          }),
          memory,
          memoryRequester: serviceMemoryRequester({
            auth: deps.auth,
            permissions: deps.permissions,
            ruleset:
              permissionsRegistry.getPermissionRuleset(agentsResourceRef),
          }),
          placement: kubernetes?.placement(repositories),
          launchSecrets,
        });
        await scheduler.scheduleTask({
          id: 'agents-approval-expiry',
          frequency: { seconds: 30 },
          timeout: { minutes: 1 },
          fn: async () => {
            const expired = await engine.approvals.expireDue();
            if (expired > 0) {
              logger.info(`Expired ${expired} pending approvals`);
            }
          },
        });
        const writeBack = createWriteBack({
          config,
          knex: database.knex,
          store,
          audit,
          auditor: deps.auditor,
          approvals: engine.approvals,
          repositories,
          targets: writeBackTargets,
          repositoryOwners: repositoryOwners({
            catalog: deps.catalog,
            auth: deps.auth,
          }),
          logger: logger.child({ controller: 'write-back' }),
        });
        engine.parts.artifacts = writeBack.collector;
        engine.parts.budgets = new BudgetPolicy({
          store,
          ledger: new SpendLedger(database.knex),
          prices: ModelPrices.fromConfig(config),
        });
        const memoryUpdates = new MemoryUpdates({
          store,
          memory,
          identities: catalogIdentities({
            catalog: deps.catalog,
            auth: deps.auth,
            logger: logger.child({ controller: 'memory-updates' }),
          }),
          allowSelfReview:
            config.getOptionalBoolean('agents.memory.allowSelfReview') ?? false,
        });
        engine.parts.memoryImports = new RunMemoryImports({
          store,
          updates: memoryUpdates,
          directories: engine.parts.directories,
        });
        await scheduler.scheduleTask({
          id: 'agents-write-back',
          frequency: { seconds: 15 },
          timeout: { minutes: 10 },
          initialDelay: { seconds: 5 },
          fn: async () => {
            writeBack.controller.wake();
            await writeBack.controller.idle();
          },
        });
        const triggerEvaluator = new TriggerEvaluator({
          store,
          dispatch: engine.dispatch,
          profiles: stackResolver,
        });
        const runGate = new RunGate({
          store,
          approvals: engine.approvals,
          dispatch: engine.dispatch,
          profiles: stackResolver,
          logger: logger.child({ controller: 'trigger' }),
        });
        engine.approvals.addListener(runGate);
        await scheduler.scheduleTask({
          id: 'agents-gated-trigger-runs',
          scope: 'global',
          frequency: { seconds: 30 },
          timeout: { minutes: 2 },
          initialDelay: { seconds: 15 },
          fn: () => runGate.sweep(),
        });
        const webhookPayloads = new WebhookPayloads(database.knex);
        const payloadRetentionDays =
          config.getOptionalNumber('agents.webhookPayloads.retentionDays') ?? 7;
        const ruleFiring = new RuleFiring({
          store,
          evaluator: triggerEvaluator,
          dispatch: engine.dispatch,
          gate: runGate,
        });
        const deliveries = new TriggerDeliveries({
          store,
          firing: ruleFiring,
          endpoints: webhookEndpoints,
          payloads: webhookPayloads,
          logger: logger.child({ controller: 'trigger' }),
          reviews: new ReviewFeedback({
            store,
            ledger: writeBack.ledger,
            dispatch: engine.dispatch,
            logger: logger.child({ controller: 'write-back' }),
          }),
          workItems: new WorkItemDeliveries({
            store,
            logger: logger.child({ controller: 'trigger' }),
          }),
        });
        await scheduler.scheduleTask({
          id: 'agents-abandoned-deliveries',
          frequency: { minutes: 5 },
          timeout: { minutes: 1 },
          fn: async () => {
            const failed = await deliveries.failAbandoned(10 * 60_000);
            if (failed > 0) {
              logger.warn(
                `${failed} webhook deliveries were never processed and are marked failed`,
              );
            }
            await webhookPayloads.pruneReceivedBefore(
              Date.now() - payloadRetentionDays * 24 * 3_600_000,
            );
          },
        });
        const scheduleTickSeconds =
          config.getOptionalNumber('agents.triggers.schedules.tickSeconds') ??
          30;
        const schedules = new TriggerSchedules({
          store,
          firing: ruleFiring,
          logger: logger.child({ controller: 'trigger-schedules' }),
          graceMs:
            (config.getOptionalNumber(
              'agents.triggers.schedules.graceSeconds',
            ) ?? 120) * 1000,
          claimTimeoutMs: Math.max(4 * scheduleTickSeconds, 120) * 1000,
        });
        await scheduler.scheduleTask({
          id: 'agents-trigger-schedules',
          scope: 'global',
          frequency: { seconds: scheduleTickSeconds },
          timeout: { minutes: 5 },
          initialDelay: { seconds: 10 },
          fn: () => schedules.tick(),
        });
        const changeSignals =
          config.getOptionalBoolean('agents.signals.enabled') === false
            ? undefined
            : new ChangeSignals({
                store,
                signals: deps.signals,
                logger: logger.child({ controller: 'signals' }),
              });
        const auditSealer = new AuditSealer({
          audit,
          logger: logger.child({ controller: 'audit-sealer' }),
        });
        lifecycle.addStartupHook(async () => {
          auditSealer.start();
          await stackController.start();
          await ruleController.start();
          // Validating skills may clone their repositories: startup does not wait for it.
          skillController
            .start()
            .catch(error => logger.warn(`Skill controller failed: ${error}`));
          await mcpHealth.start();
          await engine.worker.start();
          await changeSignals?.start();
          await kubernetes?.startControllers();
        });
        lifecycle.addShutdownHook(async () => {
          await deliveries.idle();
          await writeBack.controller.idle();
          await changeSignals?.stop();
          await engine.worker.stop();
          await ruleController.stop();
          await skillController.stop();
          await mcpHealth.stop();
          await stackController.stop();
          await auditSealer.stop();
          await kubernetes?.stop();
        });

        logger.info(
          `Agents storage ready on ${database.dialect}; runtimes: ${
            runtimes
              .list()
              .map(r => r.id)
              .join(', ') || 'none'
          }`,
        );
        httpRouter.use(
          await createRouter({
            logger,
            database,
            version: readPackageVersion(),
            store,
            audit,
            access,
            auditor: deps.auditor,
            runtimes,
            workspaces,
            dispatch: engine.dispatch,
            triggers: { evaluator: triggerEvaluator, deliveries },
            approvals: engine.approvals,
            events: engine.events,
            writeBack: writeBack.service,
            proposals: writeBack.proposals,
            userInfo: deps.userInfo,
            memory,
            memoryUpdates,
            kubernetes,
            secretSources,
            catalog: { catalog: deps.catalog, auth: deps.auth },
            mcp: mcpHealth,
            repositories,
            budgets: engine.parts.budgets,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        registerAgentsActions(
          deps.actionsRegistry,
          new AgentsApiCaller(deps.discovery, deps.auth),
        );
        // Deliveries prove themselves with their HMAC signature instead.
        httpRouter.addAuthPolicy({
          path: '/webhooks',
          allow: 'unauthenticated',
        });
        // Runner pods prove themselves with their attempt's credential instead.
        httpRouter.addAuthPolicy({
          path: '/runner-pods',
          allow: 'unauthenticated',
        });
      },
    });
  },
});
