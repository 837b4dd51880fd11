import { mockServices } from '@backstage/backend-test-utils';
import {
  CoreV1Api,
  RbacAuthorizationV1Api,
  V1Role,
} from '@kubernetes/client-node';
import { Condition } from '@krate/plugin-agents-common';
import { createTestStore } from '../../__testUtils__/createTestStore';
import {
  runKubectl,
  startKubernetesDouble,
  KubernetesDouble,
} from '../../__testUtils__/kubernetes';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { until } from '../../__testUtils__/until';
import { ResourceStore, StoredResource } from '../../resources/ResourceStore';
import { KubernetesNamespaces } from '../KubernetesNamespaces';
import { NativeRbacReader } from './NativeRbacReader';
import { RbacProjectionController } from './RbacProjectionController';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const ALICE = { actor: 'user:default/alice' };
const NS = 'krate-acme';
const namespaces = new KubernetesNamespaces({ acme: NS });
const ROLE = 'krate-secretgrant-db-password';
const MANAGED = 'app.kubernetes.io/managed-by=krate-agents';

const object = (
  kind: string,
  name: string,
  spec: Record<string, unknown>,
): StoredResource => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind,
  metadata: { namespace: 'acme', name },
  spec,
});
const runnerAccount = object('AgentServiceAccount', 'pod-runner', {
  purpose: 'runner',
  serviceAccountName: 'pod-runner',
});
const dbGrant = (spec: Record<string, unknown> = {}, name = 'db-password') =>
  object('AgentSecretGrant', name, {
    secretName: 'db',
    keys: ['password'],
    subjects: [{ kind: 'runner', name: 'pod-runner' }],
    purpose: 'migrations',
    ...spec,
  });
const readersBinding = object('AgentRoleBinding', 'readers', {
  subjects: [
    { kind: 'team', name: 'group:default/payments' },
    { kind: 'service-account', name: 'pod-runner' },
  ],
  roleRef: { kind: 'ClusterRole', name: 'view' },
});

describe('RbacProjectionController', () => {
  let double: KubernetesDouble;
  let controller: RbacProjectionController | undefined;
  let store: ResourceStore;
  let core: CoreV1Api;
  let rbac: RbacAuthorizationV1Api;

  beforeEach(async () => {
    double = await startKubernetesDouble();
    core = double.kubeConfig().makeApiClient(CoreV1Api);
    rbac = double.kubeConfig().makeApiClient(RbacAuthorizationV1Api);
    await core.createNamespace({ body: { metadata: { name: NS } } });
    ({ store } = await createTestStore(databases, 'SQLITE_3'));
  });

  afterEach(async () => {
    await controller?.stop();
    controller = undefined;
    await double.stop();
  });

  async function start() {
    controller = new RbacProjectionController({
      store,
      kubeConfig: double.kubeConfig(),
      namespaces,
      logger: mockServices.logger.mock(),
      pollMs: 50,
      retryMs: 200,
      resyncMs: 300,
    });
    await controller.start();
    await controller.whenSynced();
    return controller;
  }

  const conditionsOf = async (kind: string, name: string) =>
    ((await store.get(kind, 'acme', name))?.status?.conditions ??
      []) as Condition[];
  const condition = async (kind: string, name: string, type: string) =>
    (await conditionsOf(kind, name)).find(c => c.type === type);
  const readRole = (name = ROLE) =>
    rbac.readNamespacedRole({ name, namespace: NS }).catch(() => undefined);
  const readBinding = (name = ROLE) =>
    rbac
      .readNamespacedRoleBinding({ name, namespace: NS })
      .catch(() => undefined);

  it('projects service accounts, grants and role bindings to owned native objects', async () => {
    for (const o of [runnerAccount, dbGrant(), readersBinding]) {
      await store.create(o, ALICE);
    }
    await start();

    const owner = (kind: string, name: string) => ({
      'app.kubernetes.io/managed-by': 'krate-agents',
      'agents.krate.dev/owner-kind': kind,
      'agents.krate.dev/owner-namespace': 'acme',
      'agents.krate.dev/owner-name': name,
    });
    const account = await core.readNamespacedServiceAccount({
      name: 'pod-runner',
      namespace: NS,
    });
    expect(account.metadata?.labels).toEqual(
      owner('AgentServiceAccount', 'pod-runner'),
    );
    const role = await readRole();
    expect(role?.metadata?.labels).toEqual(
      owner('AgentSecretGrant', 'db-password'),
    );
    expect(
      role?.metadata?.annotations?.['agents.krate.dev/projection-digest'],
    ).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(role?.rules).toEqual([
      {
        apiGroups: [''],
        resources: ['secrets'],
        verbs: ['get'],
        resourceNames: ['db'],
      },
    ]);
    const grantBinding = await readBinding();
    expect(grantBinding?.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: ROLE,
    });
    expect(grantBinding?.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'pod-runner', namespace: NS },
    ]);

    const listed = await runKubectl(double.kubeconfigPath, [
      'get',
      'rolebindings',
      '-n',
      NS,
      '-l',
      MANAGED,
      '-o',
      'json',
    ]);
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    const bindings = JSON.parse(listed.stdout).items;
    expect(
      bindings.map((b: any) => [
        b.metadata.name,
        b.metadata.labels['agents.krate.dev/owner-kind'],
        b.roleRef.name,
        b.subjects.map((s: any) => `${s.kind}:${s.name}`),
      ]),
    ).toEqual(
      expect.arrayContaining([
        [ROLE, 'AgentSecretGrant', ROLE, ['ServiceAccount:pod-runner']],
        [
          'krate-rolebinding-readers',
          'AgentRoleBinding',
          'view',
          ['Group:payments', 'ServiceAccount:pod-runner'],
        ],
      ]),
    );
    expect(bindings).toHaveLength(2);

    expect(
      await condition('AgentSecretGrant', 'db-password', 'Projected'),
    ).toMatchObject({
      status: 'True',
      reason: 'Projected',
      message: expect.stringContaining(
        `Projected to Role ${NS}/${ROLE} and RoleBinding ${NS}/${ROLE}.`,
      ),
    });
    expect(
      await condition('AgentSecretGrant', 'db-password', 'InSync'),
    ).toMatchObject({ status: 'True', reason: 'InSync' });
    expect(
      (await store.get('AgentRoleBinding', 'acme', 'readers'))?.status,
    ).toMatchObject({
      drift: 'InSync',
      nativeRoleBinding: 'krate-rolebinding-readers',
    });
    expect(
      (await store.get('AgentServiceAccount', 'acme', 'pod-runner'))?.status,
    ).toMatchObject({ synced: true, observedGeneration: 1 });

    await store.delete('AgentSecretGrant', 'acme', 'db-password', ALICE);
    await controller!.whenSynced();
    expect(await readRole()).toBeUndefined();
    expect(await readBinding()).toBeUndefined();
    expect(await readBinding('krate-rolebinding-readers')).toBeDefined();
  });

  it('does not project an expired grant, and removes a grant once it expires', async () => {
    await store.create(runnerAccount, ALICE);
    await store.create(
      dbGrant({ expiresAt: '2020-01-01T00:00:00Z' }, 'old'),
      ALICE,
    );
    const expiresAt = new Date(Date.now() + 2_000).toISOString();
    await store.create(dbGrant({ expiresAt }, 'short'), ALICE);
    await start();

    expect(await readRole('krate-secretgrant-old')).toBeUndefined();
    expect(await readBinding('krate-secretgrant-old')).toBeUndefined();
    expect(
      await condition('AgentSecretGrant', 'old', 'Projected'),
    ).toMatchObject({ status: 'False', reason: 'Expired' });
    expect(await readRole('krate-secretgrant-short')).toBeDefined();

    await until(
      () => readRole('krate-secretgrant-short'),
      role => role === undefined,
    );
    expect(await readBinding('krate-secretgrant-short')).toBeUndefined();
    expect(
      await until(
        () => condition('AgentSecretGrant', 'short', 'Projected'),
        c => c?.reason === 'Expired',
      ),
    ).toMatchObject({ status: 'False' });
  });

  it('shows a hand edit as drift without reverting it; changing the grant projects it again', async () => {
    await store.create(runnerAccount, ALICE);
    await store.create(dbGrant(), ALICE);
    await start();

    const patched = await runKubectl(double.kubeconfigPath, [
      'patch',
      'role',
      ROLE,
      '-n',
      NS,
      '--type=json',
      '-p',
      '[{"op":"add","path":"/rules/0/verbs/-","value":"list"}]',
    ]);
    expect(patched.code).toBe(0);

    const drifted = await until(
      () => condition('AgentSecretGrant', 'db-password', 'InSync'),
      c => c?.status === 'False',
    );
    expect(drifted).toMatchObject({
      reason: 'Drifted',
      message: expect.stringContaining(
        `Role ${NS}/${ROLE} was changed in the cluster (rules[0].verbs: projected ["get"], live ["get","list"])`,
      ),
    });
    // A later full pass still leaves the edit alone.
    const seen = double.requests.length;
    await until(
      async () => double.requests.slice(seen),
      requests =>
        requests.filter(
          r =>
            r.method === 'GET' &&
            r.path === '/apis/rbac.authorization.k8s.io/v1/roles' &&
            r.query.includes('labelSelector'),
        ).length >= 2,
    );
    expect((await readRole())?.rules?.[0].verbs).toEqual(['get', 'list']);
    expect(
      double.requests.filter(
        r => r.method === 'PUT' && r.path.endsWith(`/roles/${ROLE}`),
      ),
    ).toEqual([]);

    const current = (await store.get(
      'AgentSecretGrant',
      'acme',
      'db-password',
    ))!;
    await store.update(
      { ...current, spec: { ...current.spec, keys: ['password', 'user'] } },
      ALICE,
    );
    await until(
      () => condition('AgentSecretGrant', 'db-password', 'InSync'),
      c => c?.status === 'True',
    );
    const role: V1Role | undefined = await readRole();
    expect(role?.rules?.[0].verbs).toEqual(['get']);
    expect(
      role?.metadata?.annotations?.['agents.krate.dev/owner-generation'],
    ).toBe('2');
  });

  it('imports native RBAC it does not own read-only, and never takes a name that is in use', async () => {
    const created = await runKubectl(double.kubeconfigPath, [
      'create',
      'rolebinding',
      'ops-view',
      '--clusterrole=view',
      '--user=bob',
      '-n',
      NS,
    ]);
    expect(created.code).toBe(0);
    const taken = await runKubectl(double.kubeconfigPath, [
      'create',
      'role',
      ROLE,
      '--verb=get,list',
      '--resource=secrets',
      '-n',
      NS,
    ]);
    expect(taken.code).toBe(0);
    const before = {
      binding: (await readBinding('ops-view'))?.metadata?.resourceVersion,
      role: (await readRole())?.metadata?.resourceVersion,
    };
    await store.create(runnerAccount, ALICE);
    await store.create(dbGrant(), ALICE);
    await start();

    expect(
      await condition('AgentSecretGrant', 'db-password', 'Projected'),
    ).toMatchObject({
      status: 'False',
      reason: 'NameTaken',
      message: expect.stringContaining(
        `Role ${NS}/${ROLE} already exists without the label ${MANAGED}`,
      ),
    });
    // Nothing half-projected: the binding would have bound the foreign Role.
    expect(await readBinding()).toBeUndefined();

    const items = await new NativeRbacReader({
      kubeConfig: double.kubeConfig(),
      namespaces,
    }).list('acme');
    expect(items).toEqual(
      expect.arrayContaining([
        {
          kind: 'RoleBinding',
          namespace: NS,
          name: 'ops-view',
          subjects: [
            {
              kind: 'User',
              apiGroup: 'rbac.authorization.k8s.io',
              name: 'bob',
            },
          ],
          roleRef: {
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'ClusterRole',
            name: 'view',
          },
          managedBy: 'external',
        },
        expect.objectContaining({
          kind: 'Role',
          name: ROLE,
          managedBy: 'external',
        }),
        expect.objectContaining({
          kind: 'ServiceAccount',
          name: 'pod-runner',
          managedBy: 'krate',
          owner: { kind: 'AgentServiceAccount', name: 'pod-runner' },
          drift: 'InSync',
        }),
      ]),
    );

    // Full passes leave both alone, even after the Krate objects are deleted.
    await store.delete('AgentSecretGrant', 'acme', 'db-password', ALICE);
    const seen = double.requests.length;
    await until(
      async () => double.requests.slice(seen),
      requests =>
        requests.filter(
          r =>
            r.method === 'GET' &&
            r.path === '/apis/rbac.authorization.k8s.io/v1/rolebindings',
        ).length >= 3,
    );
    expect((await readBinding('ops-view'))?.metadata?.resourceVersion).toBe(
      before.binding,
    );
    expect((await readRole())?.metadata?.resourceVersion).toBe(before.role);
  });
});
