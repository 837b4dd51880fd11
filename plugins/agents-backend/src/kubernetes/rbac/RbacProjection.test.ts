import { StoredResource } from '../../resources/ResourceStore';
import { compareWithLive } from './compareWithLive';
import { contentDigest, NativeObject } from './NativeObject';
import {
  CLUSTER_SCOPE_ANNOTATION,
  projectRbac,
  ProjectionContext,
} from './RbacProjection';
import { nativeObjectName } from './projectionLabels';

const context: ProjectionContext = {
  clusterNamespace: 'krate-acme',
  now: new Date('2030-01-01T00:00:00Z'),
};

const object = (
  kind: string,
  name: string,
  spec: Record<string, unknown>,
  annotations?: Record<string, string>,
): StoredResource => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind,
  metadata: {
    namespace: 'acme',
    name,
    generation: 3,
    ...(annotations ? { annotations } : {}),
  },
  spec,
});

const grant = (spec: Record<string, unknown> = {}) =>
  object('AgentSecretGrant', 'db-password', {
    secretName: 'db',
    keys: ['password'],
    subjects: [{ kind: 'runner', name: 'pod-runner' }],
    purpose: 'migrations',
    ...spec,
  });

describe('projectRbac', () => {
  it('projects a service account to a ServiceAccount of the same name, with owner labels and digest', () => {
    const projection = projectRbac(
      object('AgentServiceAccount', 'pod-runner', {
        purpose: 'runner',
        serviceAccountName: 'pod-runner',
      }),
      context,
    );
    expect(projection.objects).toEqual([
      {
        kind: 'ServiceAccount',
        metadata: {
          namespace: 'krate-acme',
          name: 'pod-runner',
          labels: {
            'app.kubernetes.io/managed-by': 'krate-agents',
            'agents.krate.dev/owner-kind': 'AgentServiceAccount',
            'agents.krate.dev/owner-namespace': 'acme',
            'agents.krate.dev/owner-name': 'pod-runner',
          },
          annotations: {
            'agents.krate.dev/projection-digest': expect.stringMatching(
              /^sha256:[0-9a-f]{64}$/,
            ),
            'agents.krate.dev/owner-generation': '3',
          },
        },
      },
    ]);
  });

  it('adopts an unmanaged service account instead of owning it', () => {
    const projection = projectRbac(
      object('AgentServiceAccount', 'ci', {
        purpose: 'runner',
        serviceAccountName: 'ci',
        managed: false,
      }),
      context,
    );
    expect(projection.objects).toEqual([]);
    expect(projection.external).toEqual({
      kind: 'ServiceAccount',
      metadata: { namespace: 'krate-acme', name: 'ci' },
    });
  });

  it('projects a secret grant to a Role limited by resourceNames and a RoleBinding of its subjects', () => {
    const projection = projectRbac(
      grant({
        subjects: [
          { kind: 'runner', name: 'pod-runner' },
          { kind: 'agent', name: 'bot' },
          { kind: 'user', name: 'user:default/alice' },
          { kind: 'team', name: 'group:ops/sre' },
          { kind: 'mcp-server', name: 'postgres' },
        ],
      }),
      context,
    );
    const [role, binding] = projection.objects;
    expect(role).toMatchObject({
      kind: 'Role',
      metadata: {
        namespace: 'krate-acme',
        name: 'krate-secretgrant-db-password',
      },
      rules: [
        {
          apiGroups: [''],
          resources: ['secrets'],
          verbs: ['get'],
          resourceNames: ['db'],
        },
      ],
    });
    expect(binding).toMatchObject({
      kind: 'RoleBinding',
      metadata: {
        namespace: 'krate-acme',
        name: 'krate-secretgrant-db-password',
      },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: 'krate-secretgrant-db-password',
      },
      subjects: [
        { kind: 'ServiceAccount', name: 'pod-runner', namespace: 'krate-acme' },
        { kind: 'ServiceAccount', name: 'bot', namespace: 'krate-acme' },
        { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' },
        {
          kind: 'Group',
          apiGroup: 'rbac.authorization.k8s.io',
          name: 'ops/sre',
        },
      ],
    });
    expect(projection.notes.join('; ')).toContain(
      'subjects mcp-server:postgres have no cluster identity and are enforced by Krate only',
    );
  });

  it('projects a config grant to configmaps', () => {
    const projection = projectRbac(
      object('AgentConfigGrant', 'settings', {
        configMapName: 'app-settings',
        keys: ['region'],
        subjects: [{ kind: 'agent', name: 'bot' }],
        purpose: 'region',
      }),
      context,
    );
    expect(projection.objects[0]).toMatchObject({
      kind: 'Role',
      metadata: { name: 'krate-configgrant-settings' },
      rules: [{ resources: ['configmaps'], resourceNames: ['app-settings'] }],
    });
  });

  it('projects nothing for an expired grant', () => {
    const projection = projectRbac(
      grant({ expiresAt: '2029-12-31T23:59:59Z' }),
      context,
    );
    expect(projection.objects).toEqual([]);
    expect(projection.skipped).toEqual({
      reason: 'Expired',
      message:
        'The grant expired at 2029-12-31T23:59:59Z; its native Role and RoleBinding are removed.',
    });
  });

  it('projects nothing for a grant whose subjects are all Krate-side', () => {
    const projection = projectRbac(
      grant({ subjects: [{ kind: 'tool', name: 'psql' }] }),
      context,
    );
    expect(projection.objects).toEqual([]);
    expect(projection.skipped?.reason).toBe('NoClusterSubjects');
  });

  it('projects a role binding to a RoleBinding referring to its Role or ClusterRole', () => {
    const projection = projectRbac(
      object('AgentRoleBinding', 'readers', {
        subjects: [
          { kind: 'team', name: 'group:default/payments' },
          { kind: 'service-account', name: 'bot' },
        ],
        roleRef: { kind: 'ClusterRole', name: 'view' },
      }),
      context,
    );
    expect(projection.objects).toMatchObject([
      {
        kind: 'RoleBinding',
        metadata: {
          namespace: 'krate-acme',
          name: 'krate-rolebinding-readers',
        },
        subjects: [
          { kind: 'Group', name: 'payments' },
          { kind: 'ServiceAccount', name: 'bot', namespace: 'krate-acme' },
        ],
        roleRef: { kind: 'ClusterRole', name: 'view' },
      },
    ]);
  });

  it('does not project a repository-scoped binding, which native RBAC cannot express', () => {
    const projection = projectRbac(
      object('AgentRoleBinding', 'one-repo', {
        subjects: [{ kind: 'user', name: 'user:default/alice' }],
        roleRef: { kind: 'ClusterRole', name: 'edit' },
        repository: 'acme/payments',
      }),
      context,
    );
    expect(projection.objects).toEqual([]);
    expect(projection.skipped?.reason).toBe('RepositoryScoped');
  });

  it('projects a ClusterRoleBinding only where cluster scope is allowed', () => {
    const binding = object(
      'AgentRoleBinding',
      'auditors',
      {
        subjects: [{ kind: 'team', name: 'group:default/audit' }],
        roleRef: { kind: 'ClusterRole', name: 'view' },
      },
      { [CLUSTER_SCOPE_ANNOTATION]: 'cluster' },
    );
    const refused = projectRbac(binding, context);
    expect(refused.objects).toEqual([]);
    expect(refused.skipped?.reason).toBe('ClusterScopeNotAllowed');

    const allowed = projectRbac(binding, {
      ...context,
      allowClusterScope: true,
    });
    expect(allowed.objects).toMatchObject([
      {
        kind: 'ClusterRoleBinding',
        metadata: { name: 'krate-rolebinding-acme-auditors' },
      },
    ]);
    expect(allowed.objects[0].metadata.namespace).toBeUndefined();
  });
});

describe('nativeObjectName', () => {
  it('keeps short names and hashes long ones to 63 characters', () => {
    expect(nativeObjectName('secretgrant', 'db-password')).toBe(
      'krate-secretgrant-db-password',
    );
    const long = 'a'.repeat(60);
    const name = nativeObjectName('secretgrant', long);
    expect(name).toHaveLength(63);
    expect(name).toMatch(/^krate-secretgrant-a+-[0-9a-f]{10}$/);
    expect(nativeObjectName('secretgrant', `${long}b`)).not.toBe(name);
  });
});

describe('compareWithLive', () => {
  const [desired] = projectRbac(grant(), context).objects;
  const live = (change: Partial<NativeObject> = {}): NativeObject => ({
    ...desired,
    metadata: { ...desired.metadata, resourceVersion: '7' },
    ...change,
  });

  it('tells missing, unowned, in-sync, drifted and outdated objects apart', () => {
    expect(compareWithLive(desired, undefined)).toEqual({ state: 'Missing' });
    expect(
      compareWithLive(desired, {
        ...live(),
        metadata: { name: desired.metadata.name, namespace: 'krate-acme' },
      }),
    ).toEqual({ state: 'NotOwned' });
    expect(compareWithLive(desired, live())).toEqual({ state: 'InSync' });
    expect(
      compareWithLive(
        desired,
        live({
          rules: [{ ...desired.rules![0], verbs: ['get', 'list'] }],
        }),
      ),
    ).toEqual({
      state: 'Drifted',
      differences: ['rules[0].verbs: projected ["get"], live ["get","list"]'],
    });
    const [older] = projectRbac(grant({ secretName: 'old' }), context).objects;
    expect(compareWithLive(desired, older)).toEqual({ state: 'Outdated' });
    const otherGeneration = {
      ...live(),
      metadata: {
        ...live().metadata,
        annotations: {
          ...live().metadata.annotations,
          'agents.krate.dev/owner-generation': '2',
        },
      },
    };
    expect(compareWithLive(desired, otherGeneration)).toEqual({
      state: 'Outdated',
    });
  });

  it('ignores fields the API server fills in empty', () => {
    const binding = projectRbac(grant(), context).objects[1];
    const served: NativeObject = {
      ...binding,
      subjects: binding.subjects!.map(s => ({ ...s, apiGroup: '' })),
    };
    expect(contentDigest(served)).toBe(contentDigest(binding));
    const role: NativeObject = {
      kind: 'Role',
      metadata: { name: 'r' },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
    };
    const servedRole: NativeObject = {
      ...role,
      rules: [{ ...role.rules![0], resourceNames: [] }],
    };
    expect(contentDigest(servedRole)).toBe(contentDigest(role));
  });
});
