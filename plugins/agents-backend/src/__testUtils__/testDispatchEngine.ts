import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AgentRuntime, LaunchProfile } from '@krate/plugin-agents-node';
import { Knex } from 'knex';
import path from 'node:path';
import { ApprovalService } from '../approvals/ApprovalService';
import { AttemptLeases } from '../database/AttemptLeases';
import { RunEventLog } from '../database/RunEventLog';
import { AttemptWorker } from '../dispatch/AttemptWorker';
import { ContextAssembler } from '../dispatch/ContextAssembler';
import { DispatchParts } from '../dispatch/DispatchParts';
import { DispatchService } from '../dispatch/DispatchService';
import { Redactor } from '../dispatch/Redactor';
import { WorkingDirectories } from '../dispatch/WorkingDirectories';
import { ResourceStore } from '../resources/ResourceStore';
import { RuntimeRegistry } from '../runtimes/RuntimeRegistry';
import { createTestStore } from './createTestStore';

/** A launch profile with nothing but what the test says. */
export function testProfile(
  stack: string,
  overrides: Partial<LaunchProfile> = {},
): LaunchProfile {
  return {
    stack,
    runtime: 'scripted',
    approvalMode: 'policy',
    allowSelfApproval: false,
    mcpServers: [],
    skills: [],
    subagents: [],
    defaultContextLabels: [],
    ...overrides,
  };
}

/**
 * The dispatch engine of one backend instance on a test database, wired like
 * createDispatchEngine but with the runtimes and stack profiles the test chooses, no HTTP
 * layer and a quick worker. Each stack of `profiles` is stored as an AgentStack so dispatch
 * accepts it.
 */
export async function createTestDispatchEngine(options: {
  databases: TestDatabases;
  databaseId: TestDatabaseId;
  dataDir: string;
  runtimes: AgentRuntime[];
  profiles: LaunchProfile[];
}) {
  const { store, db } = await createTestStore(
    options.databases,
    options.databaseId,
  );
  await storeStacks(store, options.profiles);
  const engine = await startTestDispatchEngine({
    instance: 'test-instance',
    knex: db.knex,
    store,
    runsRoot: path.join(options.dataDir, 'runs'),
    runtimes: options.runtimes,
    profiles: options.profiles,
  });
  return { store, ...engine };
}

/**
 * One backend instance's dispatch engine on a database the test made (a test starts a second
 * one on the same database to play a backend restart), its runtimes placed by `placement` when
 * given, as createDispatchEngine does.
 */
export async function startTestDispatchEngine(options: {
  instance: string;
  knex: Knex;
  store: ResourceStore;
  runsRoot: string;
  runtimes: AgentRuntime[];
  profiles: LaunchProfile[];
  placement?: { over(runtimes: RuntimeRegistry): RuntimeRegistry };
  launchSecrets?: DispatchParts['launchSecrets'];
}) {
  const { store } = options;
  const runtimes = new RuntimeRegistry();
  options.runtimes.forEach(runtime => runtimes.addRuntime(runtime));
  const redactor = new Redactor();
  const approvals = new ApprovalService({
    store,
    expireAfterMs: 60 * 60_000,
    pollMs: 20,
  });
  const parts: DispatchParts = {
    store,
    events: new RunEventLog(options.knex),
    leases: new AttemptLeases(options.knex, {
      owner: options.instance,
      durationMs: 30_000,
    }),
    runtimes: options.placement?.over(runtimes) ?? runtimes,
    approvals,
    redactor,
    contexts: new ContextAssembler(store, redactor),
    directories: new WorkingDirectories(store, options.runsRoot),
    logger: mockServices.logger.mock(),
    ...(options.launchSecrets ? { launchSecrets: options.launchSecrets } : {}),
  };
  const worker = new AttemptWorker(parts, {
    concurrency: 64,
    pollMs: 20,
    renewMs: 1_000,
  });
  const dispatch = new DispatchService(
    parts,
    {
      resolve: async (_namespace, stack) => ({
        profile: options.profiles.find(p => p.stack === stack)!,
        digest: `sha256:${'0'.repeat(64)}`,
        readiness: 'Ready',
        conditions: [],
      }),
    },
    () => worker.wake(),
    (namespace, attempt) => worker.cancelLocal(namespace, attempt),
  );
  await worker.start();
  return { parts, approvals, worker, dispatch };
}

/** Stores an AgentStack per profile, so dispatch accepts runs of them. */
export async function storeStacks(
  store: ResourceStore,
  profiles: LaunchProfile[],
) {
  for (const profile of profiles) {
    await store.create(
      {
        apiVersion: 'agents.krate.dev/v1alpha1',
        kind: 'AgentStack',
        metadata: { name: profile.stack, namespace: 'acme' },
        spec: { runtime: profile.runtime },
      },
      { actor: 'user:default/admin' },
    );
  }
}
