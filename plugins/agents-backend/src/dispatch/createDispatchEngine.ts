import { Config } from '@backstage/config';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { ApprovalListener } from '../approvals/ApprovalNotifier';
import { ApprovalService } from '../approvals/ApprovalService';
import { AttemptLeases } from '../database/AttemptLeases';
import { RunEventLog } from '../database/RunEventLog';
import { ResourceStore } from '../resources/ResourceStore';
import { RuntimeRegistry } from '../runtimes/RuntimeRegistry';
import { AttemptWorker } from './AttemptWorker';
import { ContextAssembler } from './ContextAssembler';
import { DispatchParts } from './DispatchParts';
import { DispatchService, ProfileResolver } from './DispatchService';
import { Redactor } from './Redactor';
import { configuredSecretValues } from '../secrets/configuredSecretValues';
import { RunWorkspaces } from './RunWorkspaces';
import { WorkingDirectories } from './WorkingDirectories';
import { MemoryService } from '../memory/MemoryService';
import { MemoryRequester } from '../memory/context/MemoryRequester';
import { RunMemory } from '../memory/context/RunMemory';

/** Configured secret values that must never show up in an event or a context bundle. */
/** Builds the dispatch engine's parts from config; the plugin starts and stops the worker. */
export function createDispatchEngine(options: {
  config: Config;
  knex: Knex;
  store: ResourceStore;
  runtimes: RuntimeRegistry;
  profiles: ProfileResolver;
  logger: LoggerService;
  dataDir: string;
  /** Runs on a repository with a clone under these roots get a workspace of their own. */
  runWorkspaces?: RunWorkspaces;
  /** Told of approval gates opening and closing (notifications to approvers). */
  approvalListener?: ApprovalListener;
  /** The orgs' memory runs read; runs that ask for memory are refused without it. */
  memory?: MemoryService;
  /** Reads memory for runs nobody dispatched by hand (trigger rules). */
  memoryRequester?: MemoryRequester;
  /** Runs some attempts elsewhere (runner pods in Kubernetes mode): dispatch sees its runtimes. */
  placement?: { over(runtimes: RuntimeRegistry): RuntimeRegistry };
  /** Resolves the granted secrets of each attempt at launch. */
  launchSecrets?: DispatchParts['launchSecrets'];
}) {
  const { config, knex, store, runtimes, logger } = options;
  const leaseMs =
    (config.getOptionalNumber('agents.dispatch.leaseDurationSeconds') ?? 30) *
    1000;
  const redactor = new Redactor(configuredSecretValues(config));
  const approvals = new ApprovalService({
    store,
    expireAfterMs:
      (config.getOptionalNumber('agents.approvals.expireAfterMinutes') ?? 60) *
      60_000,
    listener: options.approvalListener,
  });
  const runMemory = new RunMemory(options.memory);
  const parts: DispatchParts = {
    store,
    events: new RunEventLog(knex),
    leases: new AttemptLeases(knex, {
      owner: `${os.hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
      durationMs: leaseMs,
    }),
    runtimes: options.placement?.over(runtimes) ?? runtimes,
    approvals,
    redactor,
    contexts: new ContextAssembler(store, redactor, runMemory),
    directories: new WorkingDirectories(
      store,
      path.resolve(
        config.getOptionalString('agents.dispatch.runsRoot') ??
          path.join(options.dataDir, 'runs'),
      ),
    ),
    logger,
    memory: runMemory,
    memoryRequester: options.memoryRequester,
    launchSecrets: options.launchSecrets,
  };
  const worker = new AttemptWorker(parts, {
    concurrency: config.getOptionalNumber('agents.dispatch.concurrency') ?? 8,
    pollMs: config.getOptionalNumber('agents.dispatch.pollIntervalMs') ?? 1000,
    renewMs: Math.max(100, Math.floor(leaseMs / 3)),
  });
  const dispatch = new DispatchService(
    parts,
    options.profiles,
    () => worker.wake(),
    (namespace, attempt) => worker.cancelLocal(namespace, attempt),
    options.runWorkspaces,
  );
  return { parts, worker, dispatch, approvals, events: parts.events };
}
