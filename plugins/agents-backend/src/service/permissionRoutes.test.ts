import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  agentsPermissions,
  PermissionReview,
  PermissionsOverview,
} from '@krate/plugin-agents-common';
import Router from 'express-promise-router';
import request from 'supertest';
import { createTestStore } from '../__testUtils__/createTestStore';
import { permissionsDenying } from '../__testUtils__/permissionsDenying';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { AuditStore } from '../database/AuditStore';
import { ResourceAccess } from '../permissions/ResourceAccess';
import { CatalogDirectory } from '../permissions/review';
import { agentsPermissionRules, agentsResourceRef } from '../permissions/rules';
import { ResourceStore } from '../resources/ResourceStore';
import { errorResponses } from './errorResponses';
import { createIdentityRoutes } from './identityRoutes';
import { readBody } from './input/readBody';
import { createPermissionRoutes } from './permissionRoutes';
import { createResourceRoutes } from './resourceRoutes';
import { ResourceService } from './ResourceService';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const BASE = '/api/agents/apis/agents.krate.dev/v1alpha1';

const user = (name: string, memberOf: string[], displayName?: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { memberOf, ...(displayName ? { profile: { displayName } } : {}) },
});
const group = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
});
const CATALOG = [
  user('alice', ['payments'], 'Alice Liddell'),
  user('bob', ['platform']),
  user('carol', []),
  group('payments'),
  group('platform'),
];

const as = {
  admin: mockCredentials.service.header(),
  alice: mockCredentials.user.header('user:default/alice'),
  bob: mockCredentials.user.header('user:default/bob'),
};

describe.each(databases.eachSupportedId())(
  'permission and identity routes on %p',
  id => {
    let store: ResourceStore;
    let audit: AuditStore;
    let orgs = 0;

    beforeAll(async () => {
      ({ store, audit } = await createTestStore(databases, id));
    });

    async function start(
      denied: (permission: string) => boolean = () => false,
    ) {
      const catalog = catalogServiceMock({ entities: CATALOG });
      const plugin = createBackendPlugin({
        pluginId: 'agents',
        register(env) {
          env.registerInit({
            deps: {
              httpRouter: coreServices.httpRouter,
              httpAuth: coreServices.httpAuth,
              auth: coreServices.auth,
              permissions: coreServices.permissions,
              permissionsRegistry: coreServices.permissionsRegistry,
              auditor: coreServices.auditor,
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
                deps.permissionsRegistry.getPermissionRuleset(
                  agentsResourceRef,
                ),
              );
              const directory = () =>
                new CatalogDirectory({ catalog, auth: deps.auth });
              const router = Router();
              router.use(readBody());
              router.use(
                createResourceRoutes(
                  new ResourceService(store, access, deps.auditor),
                ),
              );
              router.use(
                createPermissionRoutes({ store, audit, access, directory }),
              );
              router.use(
                createIdentityRoutes({ store, audit, access, directory }),
              );
              router.use(errorResponses(deps.logger));
              deps.httpRouter.use(router);
            },
          });
        },
      });
      const { server } = await startTestBackend({
        features: [plugin, permissionsDenying(denied).factory],
      });
      return server;
    }

    /** A fresh org with the payments fixture, each object created by the given caller. */
    async function seed(server: any) {
      const org = `acme-${id.toLowerCase().replace(/_/g, '-')}-${++orgs}`;
      const create = async (
        plural: string,
        name: string,
        spec: object,
        by = as.admin,
      ) => {
        const response = await request(server)
          .post(`${BASE}/namespaces/${org}/${plural}`)
          .set('authorization', by)
          .send({ metadata: { name }, spec });
        expect({ name, status: response.status }).toEqual({
          name,
          status: 201,
        });
        return response.body;
      };
      for (const [name, purpose] of [
        ['agent-default', 'agent'],
        ['agent-bare', 'agent'],
        ['runner-default', 'runner'],
      ]) {
        await create('agentserviceaccounts', name, {
          purpose,
          serviceAccountName: `krate-${name}`,
        });
      }
      const binding = (
        subjects: { kind: string; name: string }[],
        role: string,
        repository?: string,
      ) => ({
        subjects,
        roleRef: { kind: 'ClusterRole', name: role },
        ...(repository ? { repository } : {}),
      });
      await create(
        'agentrolebindings',
        'alice-viewer',
        binding(
          [{ kind: 'user', name: 'user:default/alice' }],
          'krate-agents-viewer',
        ),
      );
      await create(
        'agentrolebindings',
        'payments-dispatchers',
        binding(
          [
            { kind: 'team', name: 'group:default/payments' },
            { kind: 'service-account', name: 'agent-default' },
          ],
          'krate-agents-dispatcher',
          `${org}/payments-api`,
        ),
      );
      await create(
        'agentrolebindings',
        'platform-admins',
        binding(
          [{ kind: 'team', name: 'group:default/platform' }],
          'krate-agents-admin',
        ),
      );
      await create(
        'agentrolebindings',
        'bare-dispatch',
        binding(
          [{ kind: 'service-account', name: 'agent-bare' }],
          'krate-agents-dispatcher',
        ),
      );
      // Alice holds the viewer role only, yet binds Carol as an author.
      await create(
        'agentrolebindings',
        'carol-author',
        binding([{ kind: 'user', name: 'carol' }], 'krate-agents-author'),
        as.alice,
      );
      // Bob is an admin through his team: binding anyone to anything is no escalation.
      await create(
        'agentrolebindings',
        'carol-approver',
        binding(
          [{ kind: 'user', name: 'user:default/carol' }],
          'krate-agents-approver',
        ),
        as.bob,
      );
      await create(
        'agentrolebindings',
        'legacy',
        binding(
          [{ kind: 'user', name: 'user:default/carol' }],
          'cluster-admin',
        ),
      );
      await create('agentmcpservers', 'github', {
        transport: 'http',
        url: 'https://mcp.acme.example/github',
        secretRefs: [{ name: 'github-mcp', key: 'token' }],
      });
      await create('agentstacks', 'reviewer', {
        runtime: 'scripted',
        mcpServers: ['github'],
        runtimeServiceAccountName: 'agent-default',
        runnerPolicy: { serviceAccountName: 'runner-default' },
      });
      await create('agentstacks', 'bare', {
        runtime: 'scripted',
        mcpServers: ['github'],
        runtimeServiceAccountName: 'agent-bare',
      });
      await create('agentsecretgrants', 'github-mcp-token', {
        secretName: 'github-mcp',
        keys: ['token'],
        subjects: [
          { kind: 'mcp-server', name: 'github' },
          { kind: 'agent', name: 'agent-default' },
        ],
        purpose: 'The GitHub MCP server authenticates with it.',
      });
      await create('agentsecretgrants', 'bare-wrong-key', {
        secretName: 'github-mcp',
        keys: ['app-id'],
        subjects: [{ kind: 'agent', name: 'agent-bare' }],
        purpose: 'Not the key the server needs.',
      });
      return org;
    }

    const review = async (server: any, body: object) => {
      const response = await request(server)
        .post('/api/agents/permissions/review')
        .send(body);
      expect(response.status).toBe(200);
      return response.body as PermissionReview;
    };
    const step = (r: PermissionReview, ref: string) =>
      r.chain.filter(s => s.ref === ref);

    it('allows an action through a binding that names the user', async () => {
      const server = await start();
      const org = await seed(server);
      const result = await review(server, {
        namespace: org,
        subject: { kind: 'user', name: 'alice' },
        action: 'agents.stack.read',
      });
      expect(result).toMatchObject({
        decision: 'allowed',
        subject: { kind: 'user', name: 'user:default/alice' },
        action: 'agents.stack.read',
        reasons: [],
      });
      expect(step(result, 'AgentRoleBinding/alice-viewer')).toEqual([
        expect.objectContaining({ kind: 'binding', satisfied: true }),
      ]);
      expect(step(result, 'ClusterRole/krate-agents-viewer')).toEqual([
        {
          kind: 'role',
          ref: 'ClusterRole/krate-agents-viewer',
          satisfied: true,
          detail: 'grants agents.stack.read',
        },
      ]);
    });

    it('allows dispatch through a team binding on its repository and denies it elsewhere', async () => {
      const server = await start();
      const org = await seed(server);
      const ask = (repository?: string) =>
        review(server, {
          namespace: org,
          subject: { kind: 'user', name: 'user:default/alice' },
          action: 'agents.run.create',
          ...(repository ? { repository } : {}),
        });

      const allowed = await ask(`${org}/payments-api`);
      expect(allowed.decision).toBe('allowed');
      expect(allowed.chain[0]).toEqual({
        kind: 'membership',
        ref: 'group:default/payments',
        satisfied: true,
        detail: 'user:default/alice is a member (catalog memberOf)',
      });
      expect(step(allowed, 'AgentRoleBinding/payments-dispatchers')).toEqual([
        expect.objectContaining({
          satisfied: true,
          detail: `names team group:default/payments; applies to repository ${org}/payments-api`,
        }),
      ]);
      expect(step(allowed, 'AgentRoleBinding/platform-admins')).toEqual([
        expect.objectContaining({ satisfied: false }),
      ]);

      const elsewhere = await ask(`${org}/ledger`);
      expect(elsewhere.decision).toBe('denied');
      expect(step(elsewhere, 'AgentRoleBinding/payments-dispatchers')).toEqual([
        expect.objectContaining({
          satisfied: false,
          detail: `names team group:default/payments but applies only to repository ${org}/payments-api, not ${org}/ledger`,
        }),
      ]);
      expect(elsewhere.reasons).toEqual([
        'The roles bound to user:default/alice or their teams group:default/payments (ClusterRole/krate-agents-viewer) do not grant agents.run.create; bind them to a role that grants it (krate-agents-dispatcher, krate-agents-admin).',
        `AgentRoleBinding/payments-dispatchers applies only to repository ${org}/payments-api; review that repository, or remove spec.repository to bind the whole org.`,
      ]);
      // Deterministic: the same question, the same answer.
      expect(await ask(`${org}/ledger`)).toEqual(elsewhere);
    });

    it('says so when the catalog does not know the user', async () => {
      const server = await start();
      const org = await seed(server);
      const result = await review(server, {
        namespace: org,
        subject: { kind: 'user', name: 'user:default/mallory' },
        action: 'agents.stack.read',
      });
      expect(result.decision).toBe('denied');
      expect(result.chain[0]).toMatchObject({
        kind: 'membership',
        ref: 'user:default/mallory',
        satisfied: false,
      });
      expect(result.reasons[0]).toMatch(
        /^No AgentRoleBinding that applies here names user:default\/mallory; to allow agents\.stack\.read, bind them to a role that grants it \(krate-agents-viewer, /,
      );
    });

    it('allows a service account to run a stack whose keys its grants cover', async () => {
      const server = await start();
      const org = await seed(server);
      const result = await review(server, {
        namespace: org,
        subject: { kind: 'service-account', name: 'agent-default' },
        stack: 'reviewer',
        repository: `${org}/payments-api`,
      });
      expect(result).toMatchObject({
        decision: 'allowed',
        stack: 'reviewer',
        reasons: [],
      });
      expect(result.chain[0]).toMatchObject({
        kind: 'membership',
        ref: 'AgentServiceAccount/agent-default',
        satisfied: true,
      });
      expect(result.chain.slice(-2)).toEqual([
        {
          kind: 'requirement',
          ref: 'AgentMcpServer/github spec.secretRefs[0]',
          satisfied: true,
          detail: 'mcp-server github needs key token of Secret github-mcp',
        },
        {
          kind: 'grant',
          ref: 'AgentSecretGrant/github-mcp-token',
          satisfied: true,
          detail:
            'grants key token of Secret github-mcp to agent agent-default',
        },
      ]);
    });

    it('denies a service account whose grants do not cover the stack, saying which grant would', async () => {
      const server = await start();
      const org = await seed(server);
      const result = await review(server, {
        namespace: org,
        subject: { kind: 'service-account', name: 'agent-bare' },
        stack: 'bare',
      });
      expect(result.decision).toBe('denied');
      expect(step(result, 'ClusterRole/krate-agents-dispatcher')).toEqual([
        expect.objectContaining({ satisfied: true }),
      ]);
      expect(result.chain.slice(-2)).toEqual([
        expect.objectContaining({
          kind: 'requirement',
          ref: 'AgentMcpServer/github spec.secretRefs[0]',
          satisfied: false,
        }),
        {
          kind: 'grant',
          ref: 'AgentSecretGrant/bare-wrong-key',
          satisfied: false,
          detail:
            'names agent agent-bare for Secret github-mcp but does not grant key token',
        },
      ]);
      expect(result.reasons).toEqual([
        'No active AgentSecretGrant gives agent agent-bare key token of Secret github-mcp for mcp-server github (AgentMcpServer/github spec.secretRefs[0]); create one with subject agent:agent-bare (optionally scoped with mcp-server:github).',
      ]);

      const notItsIdentity = await review(server, {
        namespace: org,
        subject: { kind: 'service-account', name: 'agent-bare' },
        stack: 'reviewer',
      });
      expect(notItsIdentity.decision).toBe('denied');
      expect(notItsIdentity.reasons).toContain(
        'AgentStack/reviewer does not run as agent-bare: set its spec.runtimeServiceAccountName to agent-bare to run it under this identity.',
      );
    });

    it('warns of escalation, unknown roles and drift, exempting service owners', async () => {
      const server = await start();
      const org = await seed(server);
      const legacy = await store.get('AgentRoleBinding', org, 'legacy');
      await store.updateStatus(
        {
          ...legacy!,
          status: { drift: 'Drifted', driftDetails: ['subjects differ'] },
        },
        { actor: 'service:test' },
      );

      const overview = await request(server).get(
        `/api/agents/permissions/overview?namespace=${org}`,
      );
      expect(overview.status).toBe(200);
      const body = overview.body as PermissionsOverview;
      expect(body.roleTemplates.map(t => t.name)).toContain(
        'krate-agents-dispatcher',
      );
      expect(body.bindings.find(b => b.name === 'carol-author')).toEqual({
        name: 'carol-author',
        subjects: [{ kind: 'user', name: 'carol' }],
        roleRef: { kind: 'ClusterRole', name: 'krate-agents-author' },
        owner: 'user:default/alice',
      });
      expect(body.bindings.find(b => b.name === 'legacy')).toMatchObject({
        drift: 'Drifted',
      });
      expect(body.warnings.map(w => `${w.reason} ${w.object}`).sort()).toEqual([
        'Drift AgentRoleBinding/legacy',
        'Escalation AgentRoleBinding/carol-author',
        'UnknownRole AgentRoleBinding/legacy',
      ]);
      const escalation = body.warnings.find(w => w.reason === 'Escalation')!;
      expect(escalation.message).toMatch(
        /^AgentRoleBinding\/carol-author, created by user:default\/alice, grants agents\.stack\.create, agents\.stack\.update, .* and \d+ more through ClusterRole\/krate-agents-author, which user:default\/alice does not hold through their own bindings in the whole org\./,
      );
      expect(body.warnings.find(w => w.reason === 'Drift')!.message).toContain(
        'is Drifted: subjects differ',
      );

      expect(body.graph.edges).toEqual(
        expect.arrayContaining([
          {
            from: 'team:group:default/payments',
            to: 'binding:payments-dispatchers',
            label: 'subject',
          },
          {
            from: 'binding:payments-dispatchers',
            to: 'role:krate-agents-dispatcher',
            label: `ClusterRole in ${org}/payments-api`,
          },
          {
            from: 'service-account:agent-default',
            to: 'grant:AgentSecretGrant/github-mcp-token',
            label: 'agent',
          },
          {
            from: 'mcp-server:github',
            to: 'grant:AgentSecretGrant/github-mcp-token',
            label: 'mcp-server',
          },
          {
            from: 'grant:AgentSecretGrant/github-mcp-token',
            to: 'secret:github-mcp',
            label: 'token',
          },
          {
            from: 'stack:reviewer',
            to: 'service-account:agent-default',
            label: 'runs as',
          },
        ]),
      );
      const ids = new Set(body.graph.nodes.map(n => n.id));
      for (const edge of body.graph.edges) {
        expect(ids).toContain(edge.from);
        expect(ids).toContain(edge.to);
      }

      // A review of what the escalating binding gives carries its warning.
      const carol = await review(server, {
        namespace: org,
        subject: { kind: 'user', name: 'user:default/carol' },
        action: 'agents.stack.create',
      });
      expect(carol.decision).toBe('allowed');
      expect(carol.warnings.map(w => `${w.reason} ${w.object}`).sort()).toEqual(
        [
          'Drift AgentRoleBinding/legacy',
          'Escalation AgentRoleBinding/carol-author',
          'UnknownRole AgentRoleBinding/legacy',
        ],
      );
      expect(step(carol, 'ClusterRole/cluster-admin')).toEqual([
        expect.objectContaining({ kind: 'role', satisfied: false }),
      ]);
    });

    it('lists identities with their bindings, grants and stacks', async () => {
      const server = await start();
      const org = await seed(server);
      const response = await request(server).get(
        `/api/agents/identities/overview?namespace=${org}`,
      );
      expect(response.status).toBe(200);
      const { users, teams, serviceAccounts } = response.body;
      expect(users).toEqual([
        {
          ref: 'user:default/alice',
          displayName: 'Alice Liddell',
          teams: ['group:default/payments'],
          bindings: ['alice-viewer'],
        },
        {
          ref: 'user:default/bob',
          teams: ['group:default/platform'],
          bindings: [],
        },
        {
          ref: 'user:default/carol',
          teams: [],
          bindings: ['carol-approver', 'carol-author', 'legacy'],
        },
      ]);
      expect(teams).toEqual([
        {
          ref: 'group:default/payments',
          members: ['user:default/alice'],
          bindings: ['payments-dispatchers'],
        },
        {
          ref: 'group:default/platform',
          members: ['user:default/bob'],
          bindings: ['platform-admins'],
        },
      ]);
      expect(serviceAccounts).toEqual([
        {
          name: 'agent-bare',
          purpose: 'agent',
          serviceAccountName: 'krate-agent-bare',
          bindings: ['bare-dispatch'],
          secretGrants: ['bare-wrong-key'],
          configGrants: [],
          stacks: ['bare'],
        },
        {
          name: 'agent-default',
          purpose: 'agent',
          serviceAccountName: 'krate-agent-default',
          bindings: ['payments-dispatchers'],
          secretGrants: ['github-mcp-token'],
          configGrants: [],
          stacks: ['reviewer'],
        },
        {
          name: 'runner-default',
          purpose: 'runner',
          serviceAccountName: 'krate-runner-default',
          bindings: [],
          secretGrants: [],
          configGrants: [],
          stacks: ['reviewer'],
        },
      ]);
    });

    it.each([
      [{}, 'namespace: is required'],
      [
        { namespace: 'Not A Namespace', subject: { kind: 'user', name: 'a' } },
        "namespace: 'Not A Namespace' is not a namespace name",
      ],
      [{ namespace: 'acme' }, 'subject: is required'],
      [
        {
          namespace: 'acme',
          subject: { kind: 'robot', name: 'x' },
          action: 'agents.stack.read',
        },
        'subject.kind: must be one of user, team, service-account',
      ],
      [
        { namespace: 'acme', subject: { kind: 'user', name: 'alice' } },
        'action: give exactly one of action',
      ],
      [
        {
          namespace: 'acme',
          subject: { kind: 'user', name: 'alice' },
          action: 'agents.stack.read',
          stack: 'reviewer',
        },
        'action: give exactly one of action',
      ],
      [
        {
          namespace: 'acme',
          subject: { kind: 'user', name: 'alice' },
          action: 'agents.stack.fly',
        },
        "action: 'agents.stack.fly' is not a permission of the agents plugin",
      ],
      [
        {
          namespace: 'acme',
          subject: { kind: 'user', name: 'alice' },
          action: 'agents.stack.read',
          repository: 'not a repository',
        },
        "repository: 'not a repository' is not <org>/<repository>",
      ],
    ])('answers 400 naming the field for %j', async (body, message) => {
      const server = await start();
      const response = await request(server)
        .post('/api/agents/permissions/review')
        .send(body);
      expect(response.status).toBe(400);
      expect(response.body.error.message).toContain(message);
    });

    it('answers 404 for a stack the org does not have', async () => {
      const server = await start();
      const org = await seed(server);
      const response = await request(server)
        .post('/api/agents/permissions/review')
        .send({
          namespace: org,
          subject: { kind: 'team', name: 'group:default/payments' },
          stack: 'nope',
        });
      expect(response.status).toBe(404);
      expect(response.body.error.message).toBe(
        `stack: AgentStack ${org}/nope not found`,
      );
    });

    it('answers 403 without the permission to read the bindings or service accounts', async () => {
      const server = await start(
        p =>
          p === 'agents.role-binding.read' ||
          p === 'agents.service-account.read',
      );
      const reviewed = await request(server)
        .post('/api/agents/permissions/review')
        .send({
          namespace: 'acme',
          subject: { kind: 'user', name: 'alice' },
          action: 'agents.stack.read',
        });
      expect(reviewed.status).toBe(403);
      expect(reviewed.body.error.message).toBe(
        'Reviewing the permissions of acme needs agents.role-binding.read there',
      );
      const overview = await request(server).get(
        '/api/agents/permissions/overview?namespace=acme',
      );
      expect(overview.status).toBe(403);
      const identities = await request(server).get(
        '/api/agents/identities/overview?namespace=acme',
      );
      expect(identities.status).toBe(403);
      expect(identities.body.error.message).toBe(
        'Reading the identities of acme needs agents.service-account.read there',
      );
    });
  },
);
