import { mockServices } from '@backstage/backend-test-utils';
import { AgentRuntime, LaunchProfile } from '@krate/plugin-agents-node';
import { Knex } from 'knex';
import path from 'node:path';
import { ApprovalService } from '../../../approvals/ApprovalService';
import { AttemptLeases } from '../../../database/AttemptLeases';
import { RunEventLog } from '../../../database/RunEventLog';
import { AttemptWorker } from '../../../dispatch/AttemptWorker';
import { ContextAssembler } from '../../../dispatch/ContextAssembler';
import { DispatchParts } from '../../../dispatch/DispatchParts';
import { DispatchService } from '../../../dispatch/DispatchService';
import { Redactor } from '../../../dispatch/Redactor';
import { WorkingDirectories } from '../../../dispatch/WorkingDirectories';
import { ResourceStore } from '../../../resources/ResourceStore';
import { RuntimeRegistry } from '../../../runtimes/RuntimeRegistry';
import { PodPlacement } from '../PodPlacement';

/**
 * One backend instance's dispatch engine on a shared database, its runtimes placed by
 * `placement`: a test starts a second one on the same database to play a backend restart.
 * Wired like createDispatchEngine, without the HTTP layer and with a quick worker.
 */
export async function startPodDispatchEngine(options: {
  instance: string;
  knex: Knex;
  store: ResourceStore;
  runsRoot: string;
  runtimes: AgentRuntime[];
  profiles: LaunchProfile[];
  placement: PodPlacement;
}) {
  const { store } = options;
  const registered = new RuntimeRegistry();
  options.runtimes.forEach(runtime => registered.addRuntime(runtime));
  const redactor = new Redactor();
  const parts: DispatchParts = {
    store,
    events: new RunEventLog(options.knex),
    leases: new AttemptLeases(options.knex, {
      owner: options.instance,
      durationMs: 30_000,
    }),
    runtimes: options.placement.over(registered),
    approvals: new ApprovalService({
      store,
      expireAfterMs: 60 * 60_000,
      pollMs: 20,
    }),
    redactor,
    contexts: new ContextAssembler(store, redactor),
    directories: new WorkingDirectories(store, options.runsRoot),
    logger: mockServices.logger.mock(),
  };
  const worker = new AttemptWorker(parts, {
    concurrency: 8,
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
  return { parts, worker, dispatch };
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

/** The in-pod runner as a pool's command runs it here: Node with the TypeScript entry. */
export const RUNNER_COMMAND = [
  process.execPath,
  path.resolve(__dirname, '../../../../bin/krate-agent-runner'),
];
