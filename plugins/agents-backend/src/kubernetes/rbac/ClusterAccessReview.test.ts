import { mockServices } from '@backstage/backend-test-utils';
import { CoreV1Api } from '@kubernetes/client-node';
import { Condition } from '@krate/plugin-agents-common';
import { createTestStore } from '../../__testUtils__/createTestStore';
import {
  KubernetesDouble,
  runKubectl,
  startKubernetesDouble,
} from '../../__testUtils__/kubernetes';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { until } from '../../__testUtils__/until';
import { StackController } from '../../controllers/stack/StackController';
import {
  object,
  registryOf,
  seed,
  testRuntime,
} from '../../controllers/stack/testObjects';
import { ResourceStore } from '../../resources/ResourceStore';
import { KubernetesNamespaces } from '../KubernetesNamespaces';
import { ClusterAccessReview } from './ClusterAccessReview';
import { RbacProjectionController } from './RbacProjectionController';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const NS = 'krate-acme';
const namespaces = new KubernetesNamespaces({ acme: NS });
const ROLE = 'krate-secretgrant-db-password';
const RUNNER = { namespace: NS, name: 'pod-runner' };

describe('ClusterAccessReview', () => {
  let double: KubernetesDouble;
  let store: ResourceStore;
  const controllers: { stop(): Promise<void> }[] = [];

  beforeEach(async () => {
    double = await startKubernetesDouble();
    await double
      .kubeConfig()
      .makeApiClient(CoreV1Api)
      .createNamespace({ body: { metadata: { name: NS } } });
    ({ store } = await createTestStore(databases, 'SQLITE_3'));
    await seed(
      store,
      object('AgentServiceAccount', 'pod-runner', {
        purpose: 'runner',
        serviceAccountName: 'pod-runner',
      }),
      object('AgentSecretGrant', 'db-password', {
        secretName: 'db',
        keys: ['password'],
        subjects: [{ kind: 'runner', name: 'pod-runner' }],
        purpose: 'migrations',
      }),
    );
    const projection = new RbacProjectionController({
      store,
      kubeConfig: double.kubeConfig(),
      namespaces,
      logger: mockServices.logger.mock(),
      pollMs: 50,
      resyncMs: 300,
    });
    controllers.push(projection);
    await projection.start();
    await projection.whenSynced();
  });

  afterEach(async () => {
    for (const controller of controllers.splice(0)) await controller.stop();
    await double.stop();
  });

  const review = (kubeConfig = double.kubeConfig()) =>
    new ClusterAccessReview({ kubeConfig, namespaces, maxAgeMs: 0 });

  it('answers what the cluster grants a service account, by resource name', async () => {
    const access = review();
    expect(await access.can(RUNNER, 'get', 'secrets', 'db')).toBe(true);
    expect(await access.can(RUNNER, 'get', 'secrets', 'other')).toBe(false);
    expect(await access.can(RUNNER, 'list', 'secrets')).toBe(false);
    expect(
      await access.can({ namespace: NS, name: 'bot' }, 'get', 'secrets', 'db'),
    ).toBe(false);
  });

  it('answers unknown, never throws, when it may not ask or the cluster does not answer', async () => {
    const nobody = double.kubeConfigFor('nobody').kubeConfig;
    expect(await review(nobody).can(RUNNER, 'get', 'secrets', 'db')).toBe(
      'unknown',
    );
    double.setUnavailable(true);
    expect(await review().can(RUNNER, 'get', 'secrets', 'db')).toBe('unknown');
    double.setUnavailable(false);
  });

  it('warns on a stack whose runner cannot read a granted Secret in the cluster', async () => {
    await seed(
      store,
      object('AgentStack', 'migrator', {
        runtime: 'mux',
        runnerPolicy: { serviceAccountName: 'pod-runner' },
      }),
    );
    const stacks = new StackController({
      store,
      runtimes: registryOf(testRuntime('mux')),
      logger: mockServices.logger.mock(),
      accessReview: review(),
      pollMs: 50,
      availabilityRecheckMs: 300,
    });
    controllers.push(stacks);
    await stacks.start();
    await stacks.whenSynced();
    const conditions = async () =>
      ((await store.get('AgentStack', 'acme', 'migrator'))?.status
        ?.conditions ?? []) as Condition[];
    expect((await conditions()).map(c => c.reason)).toEqual(['Resolved']);

    const removed = await runKubectl(double.kubeconfigPath, [
      'delete',
      'role',
      ROLE,
      '-n',
      NS,
    ]);
    expect(removed.code).toBe(0);

    const warned = await until(conditions, list =>
      list.some(c => c.reason === 'ClusterDeniesGrant'),
    );
    expect(warned.find(c => c.type === 'Warning')).toMatchObject({
      status: 'True',
      reason: 'ClusterDeniesGrant',
      message: expect.stringContaining(
        `The cluster does not let ServiceAccount ${NS}/pod-runner get Secret db (granted by AgentSecretGrant/db-password)`,
      ),
    });
    expect(warned.find(c => c.type === 'Ready')).toMatchObject({
      status: 'True',
      reason: 'ResolvedWithWarnings',
    });
    // The projection shows the deletion and leaves it: native RBAC is authoritative.
    const inSync = await until(
      async () =>
        (
          ((
            await store.get('AgentSecretGrant', 'acme', 'db-password')
          )?.status?.conditions ?? []) as Condition[]
        ).find(c => c.type === 'InSync'),
      c => c?.status === 'False',
    );
    expect(inSync?.message).toContain(
      `Role ${NS}/${ROLE} was deleted in the cluster`,
    );
    expect(await review().can(RUNNER, 'get', 'secrets', 'db')).toBe(false);
  });

  it('changes nothing for stacks without an access review', async () => {
    await runKubectl(double.kubeconfigPath, ['delete', 'role', ROLE, '-n', NS]);
    await seed(
      store,
      object('AgentStack', 'migrator', {
        runtime: 'mux',
        runnerPolicy: { serviceAccountName: 'pod-runner' },
      }),
    );
    const stacks = new StackController({
      store,
      runtimes: registryOf(testRuntime('mux')),
      logger: mockServices.logger.mock(),
      pollMs: 50,
    });
    controllers.push(stacks);
    await stacks.start();
    await stacks.whenSynced();
    expect(
      (await store.get('AgentStack', 'acme', 'migrator'))?.status,
    ).toMatchObject({
      readiness: 'Ready',
      conditions: [{ type: 'Ready', reason: 'Resolved' }],
    });
  });
});
