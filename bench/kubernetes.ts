/*
 * Kubernetes-mode benchmark: N AgentStacks in the Kubernetes API server double
 * (plugins/agents-backend/src/__testUtils__/kubernetes), read by the Kubernetes store's informer.
 *
 *   bench/run.sh kubernetes [--stacks 1000] [--samples 30] [--lists 50]
 *
 * Apply → signal: `kubectl apply -f` (Debian's kubectl 1.20) of a changed stack, timed from the
 * spawn of kubectl to the `agents:changes` signal ChangeSignals publishes for it with its
 * production timing (250 ms batching); p50/p95, target p95 < 1 s. Also from kubectl's exit, which
 * leaves out kubectl's own start-up and its round trips.
 *
 * Informer memory: the heap the store holds after its first sync of N stacks (cache and
 * journal), measured after a forced GC, against the heap before it started; per stack.
 *
 * Lists: the store's list of all N stacks and of one 50-stack page, from its cache, against a
 * direct client-node list of the same from the API server in the same run; p50/p95 and the ratio
 * of the p50s (the store serves from memory, so it should be well under 1).
 *
 * Not measured: creating the stacks, the first sync (printed, informational), warm-up lists.
 */
import { CustomObjectsApi, CoreV1Api } from '@kubernetes/client-node';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { mockServices } from '@backstage/backend-test-utils';
import knexFactory from 'knex';
import { AgentsDatabase } from '../plugins/agents-backend/src/database/AgentsDatabase';
import { DatabaseAuditStore } from '../plugins/agents-backend/src/database/AuditStore';
import { DatabaseResourceStore } from '../plugins/agents-backend/src/database/DatabaseResourceStore';
import { RoutedResourceStore } from '../plugins/agents-backend/src/kubernetes/store/RoutedResourceStore';
import { KubernetesNamespaces } from '../plugins/agents-backend/src/kubernetes/KubernetesNamespaces';
import { KubernetesResourceStore } from '../plugins/agents-backend/src/kubernetes/store/KubernetesResourceStore';
import { ChangeSignals } from '../plugins/agents-backend/src/signals/ChangeSignals';
import {
  runKubectl,
  startKubernetesDouble,
} from '../plugins/agents-backend/src/__testUtils__/kubernetes';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) {
  args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
}
const stacks = Number(args.get('stacks') ?? 1000);
const samples = Number(args.get('samples') ?? 30);
const lists = Number(args.get('lists') ?? 50);
const NAMESPACE = 'bench';
const SIGNAL_TARGET_MS = 1000;
const PAGE = 50;
const GROUP = {
  group: 'agents.krate.dev',
  version: 'v1alpha1',
  plural: 'agentstacks',
};

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}
const f = (n: number) => n.toFixed(1);

function stack(index: number, prompt: string) {
  return {
    apiVersion: 'agents.krate.dev/v1alpha1',
    kind: 'AgentStack',
    metadata: {
      name: `stack-${index}`,
      namespace: NAMESPACE,
      labels: { bench: 'kubernetes' },
    },
    spec: {
      runtime: 'scripted',
      systemPrompt: prompt,
      script: { steps: [{ say: 'hello' }] },
    },
  };
}

function heapMb() {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

async function timed(work: () => Promise<unknown>) {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

async function main() {
  const double = await startKubernetesDouble({ installAgentsCrds: true });
  const kubeConfig = double.kubeConfig();
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  const dir = mkdtempSync(join(tmpdir(), 'krate-bench-kubernetes-'));
  let store: KubernetesResourceStore | undefined;
  let signals: ChangeSignals | undefined;
  try {
    await kubeConfig
      .makeApiClient(CoreV1Api)
      .createNamespace({ body: { metadata: { name: NAMESPACE } } });
    for (let i = 0; i < stacks; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, stacks - i) }, (_, j) =>
          custom.createNamespacedCustomObject({
            ...GROUP,
            namespace: NAMESPACE,
            body: stack(i + j, 'first'),
          }),
        ),
      );
    }
    console.log(
      `Kubernetes mode, ${stacks} AgentStacks in the API server double; ${
        cpus().length
      } CPUs, load ${loadavg()[0].toFixed(2)}`,
    );

    // The execution kinds stay in the database, as in the plugin: SQLite in memory here.
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    const database = await AgentsDatabase.create({
      database: mockServices.database({ knex }),
    });
    const audit = new DatabaseAuditStore(database.knex);
    const heapBefore = heapMb();
    store = new KubernetesResourceStore({
      kubeConfig,
      kinds: ['AgentStack'],
      namespaces: new KubernetesNamespaces(),
      audit,
      logger: console as any,
    });
    const syncMs = await timed(() => store!.start());
    const synced = await store.list('AgentStack', { limit: stacks + 1 });
    if (synced.items.length !== stacks) {
      throw new Error(
        `The store synced ${synced.items.length} of ${stacks} stacks`,
      );
    }
    const informerMb = heapMb() - heapBefore;
    console.log(
      `Informer: first sync ${f(syncMs)} ms (informational); heap ${f(
        informerMb,
      )} MB, ${f((informerMb * 1024 * 1024) / stacks / 1024)} KiB per stack`,
    );

    const published = new Map<string, number>();
    signals = new ChangeSignals({
      store: new RoutedResourceStore({
        database: new DatabaseResourceStore({ knex: database.knex, audit }),
        cluster: store,
        clusterKinds: ['AgentStack'],
      }),
      logger: console as any,
      signals: {
        publish: async (signal: any) => {
          if (!published.has(signal.message.name)) {
            published.set(signal.message.name, performance.now());
          }
        },
      } as any,
    });
    await signals.start();
    const fromSpawn: number[] = [];
    const fromExit: number[] = [];
    for (let sample = 0; sample < samples; sample++) {
      const name = `stack-${(sample * 7919) % stacks}`;
      const file = join(dir, `${name}.json`);
      writeFileSync(
        file,
        JSON.stringify(stack(Number(name.slice(6)), `sample ${sample}`)),
      );
      published.delete(name);
      const start = performance.now();
      const applied = await runKubectl(double.kubeconfigPath, [
        'apply',
        '-f',
        file,
      ]);
      const exited = performance.now();
      if (applied.code !== 0)
        throw new Error(`kubectl apply: ${applied.stderr}`);
      const deadline = Date.now() + 10_000;
      while (!published.has(name)) {
        if (Date.now() > deadline)
          throw new Error(`No change signal for ${name} in 10 s`);
        await new Promise(resolve => setTimeout(resolve, 2));
      }
      fromSpawn.push(published.get(name)! - start);
      fromExit.push(Math.max(0, published.get(name)! - exited));
    }
    const p95 = percentile(fromSpawn, 95);
    console.log(
      `kubectl apply → change signal (${samples} samples): p50 ${f(
        percentile(fromSpawn, 50),
      )} ms, p95 ${f(p95)} ms (target p95 < ${SIGNAL_TARGET_MS} ms: ${
        p95 < SIGNAL_TARGET_MS ? 'met' : 'MISSED'
      }); from kubectl's exit p50 ${f(percentile(fromExit, 50))} ms, p95 ${f(
        percentile(fromExit, 95),
      )} ms`,
    );

    for (const [label, limit] of [
      [`all ${stacks}`, stacks],
      [`a page of ${PAGE}`, PAGE],
    ] as const) {
      const ours: number[] = [];
      const direct: number[] = [];
      for (let i = 0; i < lists + 3; i++) {
        const a = await timed(() =>
          store!.list('AgentStack', { namespace: NAMESPACE, limit }),
        );
        const b = await timed(() =>
          custom.listNamespacedCustomObject({
            ...GROUP,
            namespace: NAMESPACE,
            limit,
          }),
        );
        if (i >= 3) {
          ours.push(a);
          direct.push(b);
        }
      }
      console.log(
        `List ${label}: store p50 ${f(percentile(ours, 50))} ms, p95 ${f(
          percentile(ours, 95),
        )} ms; client-node direct p50 ${f(percentile(direct, 50))} ms, p95 ${f(
          percentile(direct, 95),
        )} ms; ratio ${(percentile(ours, 50) / percentile(direct, 50)).toFixed(
          3,
        )}×`,
      );
    }
  } finally {
    await signals?.stop();
    await store?.stop();
    await double.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
