import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import {
  agentsPermissions,
  agentsResourcePermission,
} from '@krate/plugin-agents-common';
import { CoreV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import request from 'supertest';
import {
  KubernetesDouble,
  startKubernetesDouble,
} from '../__testUtils__/kubernetes';
import { permissionsDenying } from '../__testUtils__/permissionsDenying';
import { KubernetesNamespaces } from '../kubernetes/KubernetesNamespaces';
import { NativeRbacClient } from '../kubernetes/rbac/NativeRbacClient';
import { NativeRbacReader } from '../kubernetes/rbac/NativeRbacReader';
import { projectRbac } from '../kubernetes/rbac/RbacProjection';
import { ResourceAccess } from '../permissions/ResourceAccess';
import { agentsPermissionRules, agentsResourceRef } from '../permissions/rules';
import { createKubernetesRbacRoutes } from './kubernetesRbacRoutes';

jest.setTimeout(60_000);

const RBAC = '/api/agents/kubernetes/rbac';
const NS = 'krate-acme';
const namespaces = new KubernetesNamespaces({ acme: NS });
const READ_BINDINGS = agentsResourcePermission('AgentRoleBinding', 'read').name;

async function start(
  reader: NativeRbacReader | undefined,
  permissions: { factory: any } = permissionsDenying(() => false),
) {
  const plugin = createBackendPlugin({
    pluginId: 'agents',
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
          permissions: coreServices.permissions,
          permissionsRegistry: coreServices.permissionsRegistry,
          logger: coreServices.logger,
        },
        async init(deps) {
          deps.permissionsRegistry.addResourceType({
            resourceRef: agentsResourceRef,
            permissions: agentsPermissions,
            rules: agentsPermissionRules,
            getResources: async refs => refs.map(() => undefined),
          });
          const access = new ResourceAccess(
            deps.httpAuth,
            deps.permissions,
            deps.permissionsRegistry.getPermissionRuleset(agentsResourceRef),
          );
          deps.httpRouter.use(
            createKubernetesRbacRoutes({ access, reader, logger: deps.logger }),
          );
        },
      });
    },
  });
  const { server } = await startTestBackend({
    features: [plugin, permissions.factory],
  });
  return server;
}

describe('GET /kubernetes/rbac', () => {
  let double: KubernetesDouble;
  let reader: NativeRbacReader;
  let stopped: boolean;

  beforeEach(async () => {
    stopped = false;
    double = await startKubernetesDouble();
    const kubeConfig = double.kubeConfig();
    await kubeConfig
      .makeApiClient(CoreV1Api)
      .createNamespace({ body: { metadata: { name: NS } } });
    reader = new NativeRbacReader({ kubeConfig, namespaces });
  });
  afterEach(async () => {
    if (!stopped) await double.stop();
  });

  it('answers the namespace native RBAC: Krate projections with owner and drift, the rest imported', async () => {
    const client = new NativeRbacClient(double.kubeConfig());
    const projection = projectRbac(
      {
        apiVersion: 'agents.krate.dev/v1alpha1',
        kind: 'AgentSecretGrant',
        metadata: { namespace: 'acme', name: 'db-password', generation: 1 },
        spec: {
          secretName: 'db',
          keys: ['password'],
          subjects: [{ kind: 'runner', name: 'pod-runner' }],
          purpose: 'migrations',
        },
      },
      { clusterNamespace: NS, now: new Date() },
    );
    for (const object of projection.objects) await client.create(object);
    const rbac = double.kubeConfig().makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRoleBinding({
      namespace: NS,
      body: {
        metadata: { name: 'ops-view' },
        subjects: [
          { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'bob' },
        ],
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'view',
        },
      },
    });
    // A hand edit of the projected binding shows as drift.
    await rbac.patchNamespacedRoleBinding({
      namespace: NS,
      name: 'krate-secretgrant-db-password',
      body: [
        {
          op: 'add',
          path: '/subjects/-',
          value: { kind: 'ServiceAccount', name: 'intruder', namespace: NS },
        },
      ],
    });

    const server = await start(reader);
    const response = await request(server).get(`${RBAC}?namespace=acme`);
    expect(response.status).toBe(200);
    const items = response.body.items as any[];
    const find = (kind: string, name: string) =>
      items.find(i => i.kind === kind && i.name === name);
    expect(find('Role', 'krate-secretgrant-db-password')).toEqual({
      kind: 'Role',
      namespace: NS,
      name: 'krate-secretgrant-db-password',
      rules: [
        {
          apiGroups: [''],
          resources: ['secrets'],
          verbs: ['get'],
          resourceNames: ['db'],
        },
      ],
      managedBy: 'krate',
      owner: { kind: 'AgentSecretGrant', name: 'db-password' },
      drift: 'InSync',
    });
    expect(find('RoleBinding', 'krate-secretgrant-db-password')).toMatchObject({
      managedBy: 'krate',
      owner: { kind: 'AgentSecretGrant', name: 'db-password' },
      drift: 'Drifted',
    });
    expect(find('RoleBinding', 'ops-view')).toEqual({
      kind: 'RoleBinding',
      namespace: NS,
      name: 'ops-view',
      subjects: [
        { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'bob' },
      ],
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'view',
      },
      managedBy: 'external',
    });
    // The namespace's own default ServiceAccount, made by the cluster.
    expect(find('ServiceAccount', 'default')).toEqual({
      kind: 'ServiceAccount',
      namespace: NS,
      name: 'default',
      managedBy: 'external',
    });
  });

  it.each([
    ['', 'namespace: is required'],
    ['?namespace=', 'namespace: is required'],
    [
      '?namespace=Acme_Corp',
      "namespace: 'Acme_Corp' is not a namespace name (lowercase letters, digits and '-', at most 63)",
    ],
  ])('answers 400 naming namespace for %p', async (query, message) => {
    const server = await start(reader);
    const response = await request(server).get(`${RBAC}${query}`);
    expect(response.status).toBe(400);
    expect(response.body.error.message).toBe(message);
  });

  it('answers 403 unless the caller may read AgentRoleBindings', async () => {
    const server = await start(
      reader,
      permissionsDenying(name => name === READ_BINDINGS),
    );
    const response = await request(server).get(`${RBAC}?namespace=acme`);
    expect(response.status).toBe(403);
    expect(response.body.error.message).toBe(
      `Reading the native RBAC of acme needs ${READ_BINDINGS} there`,
    );
  });

  it('answers 404 when Kubernetes mode is off and 503 when the cluster does not answer', async () => {
    const off = await start(undefined);
    const response = await request(off).get(`${RBAC}?namespace=acme`);
    expect(response.status).toBe(404);
    expect(response.body.error.message).toBe(
      'Kubernetes mode is off: this backend keeps no native RBAC (agents.kubernetes is not configured)',
    );

    const server = await start(reader);
    double.setUnavailable(true);
    const down = await request(server).get(`${RBAC}?namespace=acme`);
    expect(down.status).toBe(503);
    expect(down.body.error.message).toBe(
      'The Kubernetes cluster refused to list the RBAC of acme (HTTP 503)',
    );
    await double.stop();
    stopped = true;
    const gone = await request(server).get(`${RBAC}?namespace=acme`);
    expect(gone.status).toBe(503);
    expect(gone.body.error.message).toBe(
      'The Kubernetes cluster is unreachable; the RBAC of acme cannot be read',
    );
  });
});
