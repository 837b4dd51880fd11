import { CoreV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { createTestStore } from '../../__testUtils__/createTestStore';
import {
  KubernetesDouble,
  startKubernetesDouble,
} from '../../__testUtils__/kubernetes';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { object, serviceAccount } from '../../controllers/stack/testObjects';
import { AuditStore } from '../../database/AuditStore';
import { KubernetesNamespaces } from '../../kubernetes/KubernetesNamespaces';
import { ClusterAccessReview } from '../../kubernetes/rbac/ClusterAccessReview';
import { ResourceStore } from '../../resources/ResourceStore';
import { CatalogDirectory } from './CatalogDirectory';
import { OrgAccess } from './OrgAccess';
import { reviewPermission } from './reviewPermission';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const NS = 'krate-acme';
const namespaces = new KubernetesNamespaces({ acme: NS });

describe('a permission review in Kubernetes mode', () => {
  let double: KubernetesDouble;
  let store: ResourceStore;
  let audit: AuditStore;

  beforeAll(async () => {
    double = await startKubernetesDouble();
    const kubeConfig = double.kubeConfig();
    await kubeConfig
      .makeApiClient(CoreV1Api)
      .createNamespace({ body: { metadata: { name: NS } } });
    const rbac = kubeConfig.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({
      namespace: NS,
      body: {
        metadata: { name: 'read-github-mcp' },
        rules: [
          {
            apiGroups: [''],
            resources: ['secrets'],
            resourceNames: ['github-mcp'],
            verbs: ['get'],
          },
        ],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: NS,
      body: {
        metadata: { name: 'agent-default-reads-github-mcp' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Role',
          name: 'read-github-mcp',
        },
        subjects: [
          { kind: 'ServiceAccount', name: 'agent-default', namespace: NS },
        ],
      },
    });

    ({ store, audit } = await createTestStore(databases, 'SQLITE_3'));
    // Created by a service principal, so no binding is an escalation.
    const grant = (name: string, account: string) =>
      object('AgentSecretGrant', name, {
        secretName: 'github-mcp',
        keys: ['token'],
        subjects: [{ kind: 'agent', name: account }],
        purpose: 'The GitHub MCP server authenticates with it.',
      });
    const stack = (name: string, account: string) =>
      object('AgentStack', name, {
        runtime: 'scripted',
        mcpServers: ['github'],
        runtimeServiceAccountName: account,
      });
    for (const created of [
      serviceAccount('agent-default'),
      serviceAccount('agent-unprojected'),
      object('AgentRoleBinding', 'agents-dispatch', {
        subjects: [
          { kind: 'service-account', name: 'agent-default' },
          { kind: 'service-account', name: 'agent-unprojected' },
        ],
        roleRef: { kind: 'ClusterRole', name: 'krate-agents-dispatcher' },
      }),
      object('AgentMcpServer', 'github', {
        transport: 'http',
        url: 'https://mcp.acme.example/github',
        secretRefs: [{ name: 'github-mcp', key: 'token' }],
      }),
      grant('github-mcp-token', 'agent-default'),
      grant('github-mcp-unprojected', 'agent-unprojected'),
      stack('reviewer', 'agent-default'),
      stack('unprojected', 'agent-unprojected'),
    ]) {
      await store.create(created, { actor: 'service:bootstrap' });
    }
  });

  afterAll(() => double.stop());

  const review = (account: string, stack: string) =>
    reviewPermission(
      {
        namespace: 'acme',
        subject: { kind: 'service-account', name: account },
        stack,
      },
      new OrgAccess(store, audit, 'acme'),
      new CatalogDirectory(),
      new Date(),
      new ClusterAccessReview({
        kubeConfig: double.kubeConfig(),
        namespaces,
        maxAgeMs: 0,
      }),
    );

  it('adds what the cluster lets the service account read', async () => {
    const result = await review('agent-default', 'reviewer');
    expect(result.decision).toBe('allowed');
    expect(result.chain.at(-1)).toEqual({
      kind: 'cluster',
      ref: `ServiceAccount ${NS}/agent-default`,
      satisfied: true,
      detail: 'the cluster lets it get Secret github-mcp',
    });
    expect(result.warnings).toEqual([]);
  });

  it('warns where the cluster denies what a grant gives, without deciding', async () => {
    const result = await review('agent-unprojected', 'unprojected');
    expect(result.decision).toBe('allowed');
    expect(result.chain.at(-1)).toEqual({
      kind: 'cluster',
      ref: `ServiceAccount ${NS}/agent-unprojected`,
      satisfied: false,
      detail: 'the cluster does not let it get Secret github-mcp',
    });
    expect(result.warnings).toEqual([
      expect.objectContaining({
        reason: 'ClusterDeniesGrant',
        object: 'AgentSecretGrant/github-mcp-unprojected',
      }),
    ]);
  });
});
