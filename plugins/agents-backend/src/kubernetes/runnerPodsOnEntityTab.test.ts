import { AgentDispatchRun } from '@krate/plugin-agents-common';
import { KubeConfig } from '@kubernetes/client-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestStore } from '../__testUtils__/createTestStore';
import {
  KubernetesDouble,
  startKubernetesDouble,
} from '../__testUtils__/kubernetes';
import { startKubernetesPluginBackend } from '../__testUtils__/kubernetes/startKubernetesPluginBackend';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import {
  startTestDispatchEngine,
  storeStacks,
} from '../__testUtils__/testDispatchEngine';
import { until } from '../__testUtils__/until';
import { ScriptedRuntime } from '../runtimes/scripted';
import {
  createPodNamespace,
  POD_NAMESPACE,
  podProfile,
  testPlacement,
  testPool,
} from './pods/__testUtils__/podTestKit';
import { runnerPodName } from './pods/podNames';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const ACTOR = 'user:default/alice';

/** The catalog component of the repository the run works on, as the Kubernetes plugin finds it. */
const PAYMENTS = {
  metadata: {
    name: 'payments',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'payments' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
};

/**
 * The promise for runner pods: they appear on the repository's catalog entity through
 * the Backstage Kubernetes plugin itself (the backend the entity's Kubernetes tab calls), not
 * only as labels we set.
 */
describe("runner pods on the entity's Kubernetes tab", () => {
  let double: KubernetesDouble;
  let kubeConfig: KubeConfig;
  let dataDir: string;
  let engine: Awaited<ReturnType<typeof startTestDispatchEngine>> | undefined;
  let stopBackend: (() => Promise<void>) | undefined;

  beforeEach(async () => {
    double = await startKubernetesDouble();
    kubeConfig = double.kubeConfig();
    await createPodNamespace(kubeConfig);
    dataDir = fs.realpathSync(
      fs.mkdtempSync(path.join(os.tmpdir(), 'krate-pods-tab-')),
    );
  });
  afterEach(async () => {
    await stopBackend?.();
    stopBackend = undefined;
    await engine?.worker.stop();
    engine = undefined;
    await double.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("lists the run's pod for the repository's component through @backstage/plugin-kubernetes-backend", async () => {
    const runsRoot = path.join(dataDir, 'runs');
    fs.mkdirSync(runsRoot);
    const profiles = [podProfile('builder', [{ say: 'Built in a pod' }])];
    const { db, store } = await createTestStore(databases, 'SQLITE_3');
    await storeStacks(store, profiles);
    engine = await startTestDispatchEngine({
      instance: 'instance-1',
      knex: db.knex,
      store,
      runsRoot,
      runtimes: [new ScriptedRuntime()],
      profiles,
      placement: testPlacement({
        kubeConfig,
        store,
        pools: [testPool(runsRoot)],
        components: {
          componentOf: async repository =>
            repository === 'acme/payments'
              ? { namespace: 'default', name: 'payments' }
              : undefined,
        },
      }),
    });
    const { dispatch } = engine;
    const run = await dispatch.dispatch(
      dispatch.draftRun(
        {
          namespace: 'acme',
          stack: 'builder',
          prompt: 'Build it',
          repository: 'acme/payments',
        },
        ACTOR,
      ),
      ACTOR,
    );
    const ended = (await until(
      () => store.get('AgentDispatchRun', 'acme', run.metadata.name),
      r => r?.status?.phase === 'Succeeded',
    )) as AgentDispatchRun;
    const podName = runnerPodName(ended.status!.currentAttempt!);

    const backend = await startKubernetesPluginBackend(
      dataDir,
      {
        serviceLocatorMethod: { type: 'multiTenant' },
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: 'double',
                url: double.url,
                authProvider: 'serviceAccount',
                serviceAccountToken: kubeConfig.getCurrentUser()!.token,
                skipMetricsLookup: true,
              },
            ],
          },
        ],
        objectTypes: ['pods'],
      },
      [PAYMENTS],
    );
    stopBackend = backend.stop;

    // The entity's Kubernetes tab asks this route; the catalog may still be reading the entity.
    const response = await until(
      () =>
        fetch(`${backend.url}/api/kubernetes/services/payments`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${backend.token}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({
            entity: { kind: 'Component', metadata: PAYMENTS.metadata },
          }),
        }).then(async r => ({ status: r.status, body: await r.json() })),
      r => r.status !== 403,
      60_000,
    );
    expect(response.status).toBe(200);
    expect(response.body.items).toHaveLength(1);
    const [cluster] = response.body.items;
    expect(cluster.cluster.name).toBe('double');
    expect(cluster.errors).toEqual([]);
    const pods = cluster.resources.find((r: any) => r.type === 'pods');
    expect(pods.resources).toEqual([
      expect.objectContaining({
        metadata: expect.objectContaining({
          name: podName,
          namespace: POD_NAMESPACE,
          labels: expect.objectContaining({
            'agents.krate.dev/run': run.metadata.name,
            'backstage.io/kubernetes-id': 'payments',
          }),
        }),
        status: expect.objectContaining({ phase: 'Succeeded' }),
      }),
    ]);
  });
});
