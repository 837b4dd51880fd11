import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AgentRuntime, LaunchProfile } from '@krate/plugin-agents-node';
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
  const runtimes = new RuntimeRegistry();
  options.runtimes.forEach(runtime => runtimes.addRuntime(runtime));
  for (const profile of options.profiles) {
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
  const redactor = new Redactor();
  const approvals = new ApprovalService({
    store,
    expireAfterMs: 60 * 60_000,
    pollMs: 20,
  });
  const parts: DispatchParts = {
    store,
    events: new RunEventLog(db.knex),
    leases: new AttemptLeases(db.knex, {
      owner: 'test-instance',
      durationMs: 30_000,
    }),
    runtimes,
    approvals,
    redactor,
    contexts: new ContextAssembler(store, redactor),
    directories: new WorkingDirectories(
      store,
      path.join(options.dataDir, 'runs'),
    ),
    logger: mockServices.logger.mock(),
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
  return { store, parts, approvals, worker, dispatch };
}
