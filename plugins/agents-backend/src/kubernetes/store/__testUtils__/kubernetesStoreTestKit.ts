import { mockServices } from '@backstage/backend-test-utils';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { createTestStore } from '../../../__testUtils__/createTestStore';
import { createTestDatabases } from '../../../__testUtils__/testDatabases';
import {
  KubernetesDouble,
  runKubectl,
  startKubernetesDouble,
} from '../../../__testUtils__/kubernetes';
import { StoredResource } from '../../../resources/ResourceStore';
import { KubernetesNamespaces } from '../../KubernetesNamespaces';
import {
  KubernetesResourceStore,
  KubernetesResourceStoreOptions,
} from '../KubernetesResourceStore';

/** The org of the tests' objects and the cluster namespace it maps to. */
export const ORG = 'acme';
export const CLUSTER_NAMESPACE = 'team-acme';
export const ALICE = { actor: 'user:default/alice' };
export const GROUP = { group: 'agents.krate.dev', version: 'v1alpha1' };

const databases = createTestDatabases();

export function stack(
  name: string,
  spec: Record<string, unknown> = { runtime: 'scripted', model: 'm1' },
): StoredResource {
  return {
    apiVersion: 'agents.krate.dev/v1alpha1',
    kind: 'AgentStack',
    metadata: { name, namespace: ORG },
    spec,
  };
}

/**
 * A Kubernetes API server double with the agents CRDs and the tests' namespace, a database for
 * audit records, and a started store on them; `cleanUp` stops everything.
 */
export function kubernetesStoreKit() {
  const cleanups: (() => Promise<unknown> | void)[] = [];

  async function setUp(
    options: Partial<KubernetesResourceStoreOptions> & {
      unavailableAtStart?: boolean;
    } = {},
  ) {
    const double = await startKubernetesDouble({
      bookmarkIntervalMs: 200,
      installAgentsCrds: true,
    });
    cleanups.push(() => double.stop());
    const admin = double.kubeConfig();
    await admin.makeApiClient(CoreV1Api).createNamespace({
      body: { metadata: { name: CLUSTER_NAMESPACE } },
    });
    const database = await createTestStore(databases, 'SQLITE_3');
    const logger = mockServices.logger.mock();
    if (options.unavailableAtStart) double.setUnavailable(true);
    const store = new KubernetesResourceStore({
      kubeConfig: double.kubeConfig(),
      kinds: ['AgentStack', 'AgentTriggerRule'],
      namespaces: new KubernetesNamespaces({ [ORG]: CLUSTER_NAMESPACE }),
      audit: database.audit,
      logger,
      backoff: { initialMs: 50, maxMs: 200 },
      ...options,
    });
    cleanups.push(() => store.stop());
    await store.start();
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'krate-store-'));
    cleanups.push(() => fs.rmSync(folder, { recursive: true, force: true }));
    return {
      double,
      store,
      logger,
      database,
      /** Another client of the cluster: what kubectl or a controller would change. */
      other: admin.makeApiClient(CustomObjectsApi),
      kubectl: (...args: string[]) => kubectl(double, args),
      /** kubectl apply -f of `objects` written to a file, as a user would. */
      apply: async (...objects: unknown[]) => {
        const file = path.join(folder, 'manifest.yaml');
        fs.writeFileSync(file, objects.map(o => stringify(o)).join('---\n'));
        return kubectl(double, ['apply', '-f', file]);
      },
    };
  }

  async function cleanUp() {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup();
    }
  }

  return { setUp, cleanUp };
}

async function kubectl(double: KubernetesDouble, args: string[]) {
  const result = await runKubectl(double.kubeconfigPath, args);
  if (result.code !== 0) {
    throw new Error(
      `kubectl ${args.join(' ')} failed (${result.code}): ${result.stderr}`,
    );
  }
  return result.stdout;
}

/** An AgentStack as a user writes it for kubectl: in the cluster namespace. */
export function manifest(name: string, spec: Record<string, unknown>) {
  return {
    apiVersion: 'agents.krate.dev/v1alpha1',
    kind: 'AgentStack',
    metadata: { name, namespace: CLUSTER_NAMESPACE },
    spec,
  };
}
