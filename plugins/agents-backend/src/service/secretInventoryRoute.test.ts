import { ConfigReader } from '@backstage/config';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import {
  agentsPermissions,
  agentsResourcePermission,
  SecretInventory,
} from '@krate/plugin-agents-common';
import request from 'supertest';
import { createTestStore } from '../__testUtils__/createTestStore';
import { permissionsDenying } from '../__testUtils__/permissionsDenying';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { object, seed } from '../controllers/stack/testObjects';
import { ResourceAccess } from '../permissions/ResourceAccess';
import { agentsPermissionRules, agentsResourceRef } from '../permissions/rules';
import { ResourceStore } from '../resources/ResourceStore';
import { ConfigSecretSource } from '../secrets/ConfigSecretSource';
import { SecretSources } from '../secrets/SecretSources';
import { createSecretInventoryRoute } from './secretInventoryRoute';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const INVENTORY = '/api/agents/secrets/inventory';
const READ_GRANTS = agentsResourcePermission('AgentSecretGrant', 'read').name;
const PLANTED = 'planted-inventory-canary-91';

const sources = new SecretSources([
  new ConfigSecretSource(
    new ConfigReader({
      agents: {
        secrets: {
          acme: {
            secrets: { github: { token: PLANTED, spare: PLANTED } },
            configMaps: { payments: { 'sandbox-url': PLANTED } },
          },
        },
      },
    }),
  ),
]);

async function start(
  store: ResourceStore,
  isDenied: (permission: string) => boolean = () => false,
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
            createSecretInventoryRoute({ access, store, sources }),
          );
        },
      });
    },
  });
  const { server } = await startTestBackend({
    features: [plugin, permissionsDenying(isDenied).factory],
  });
  return server;
}

describe.each(databases.eachSupportedId())(
  'GET /secrets/inventory on %p',
  id => {
    async function seeded() {
      const { store } = await createTestStore(databases, id);
      await seed(
        store,
        object('AgentMcpServer', 'github', {
          transport: 'http',
          url: 'https://mcp.example.com',
          secretRefs: [{ name: 'github', key: 'token', env: 'Authorization' }],
        }),
        object('AgentSkill', 'runbook', {
          source: { repository: 'acme/payments-api', path: 'skills/runbook' },
          requiredConfig: [{ name: 'payments', key: 'sandbox-url' }],
          requiredSecrets: [{ name: 'db', key: 'password' }],
        }),
        object('AgentSecretGrant', 'github-token', {
          secretName: 'github',
          keys: ['token', 'app-id'],
          subjects: [
            { kind: 'agent', name: 'bot' },
            { kind: 'mcp-server', name: 'github' },
          ],
          purpose: 'GitHub MCP',
          expiresAt: '2099-01-01T00:00:00Z',
        }),
        object('AgentConfigGrant', 'payments-old', {
          configMapName: 'payments',
          keys: ['sandbox-url'],
          subjects: [{ kind: 'agent', name: 'bot' }],
          purpose: 'sandbox',
          expiresAt: '2020-01-01T00:00:00Z',
        }),
      );
      return store;
    }

    it('lists names, keys, consumers, grants and warnings, and never a value', async () => {
      const server = await start(await seeded());
      const response = await request(server).get(`${INVENTORY}?namespace=acme`);
      expect(response.status).toBe(200);
      expect(JSON.stringify(response.body)).not.toContain(PLANTED);
      const body = response.body as SecretInventory;
      expect(body.items.map(i => `${i.source}/${i.name}`)).toEqual([
        'Secret/db',
        'Secret/github',
        'ConfigMap/payments',
      ]);
      const github = body.items.find(i => i.name === 'github')!;
      expect(github.from).toBe('config');
      expect(github.keys).toEqual([
        {
          key: 'app-id',
          present: false,
          consumers: [],
          grants: [
            expect.objectContaining({ name: 'github-token', state: 'missing' }),
          ],
        },
        { key: 'spare', present: true, consumers: [], grants: [] },
        {
          key: 'token',
          present: true,
          consumers: [
            {
              kind: 'mcp-server',
              name: 'github',
              field: 'AgentMcpServer/github spec.secretRefs[0]',
            },
          ],
          grants: [
            {
              kind: 'AgentSecretGrant',
              name: 'github-token',
              subjects: [
                { kind: 'agent', name: 'bot' },
                { kind: 'mcp-server', name: 'github' },
              ],
              purpose: 'GitHub MCP',
              state: 'active',
              expiresAt: '2099-01-01T00:00:00Z',
            },
          ],
        },
      ]);
      const db = body.items.find(i => i.name === 'db')!;
      expect(db.from).toBeUndefined();
      expect(db.keys[0]).toMatchObject({ key: 'password', present: false });

      expect(body.warnings.map(w => [w.reason, w.object])).toEqual(
        expect.arrayContaining([
          ['GrantExpired', 'AgentConfigGrant/payments-old'],
          ['MissingSecret', 'Secret/github'],
          ['MissingGrant', 'AgentSkill/runbook'],
        ]),
      );
      expect(body.warnings).toHaveLength(4);
      const missingGrants = body.warnings.filter(
        w => w.reason === 'MissingGrant',
      );
      expect(missingGrants.map(w => w.message)).toEqual([
        expect.stringContaining(
          'Secret db key password, needed by skill:runbook',
        ),
        expect.stringContaining(
          'ConfigMap payments key sandbox-url, needed by skill:runbook',
        ),
      ]);
    });

    it('answers 400 naming namespace when it is missing or not a name', async () => {
      const server = await start(await seeded());
      const missing = await request(server).get(INVENTORY);
      expect(missing.status).toBe(400);
      expect(missing.body.error.message).toContain('namespace');
      const invalid = await request(server).get(
        `${INVENTORY}?namespace=Not_A_Name`,
      );
      expect(invalid.status).toBe(400);
      expect(invalid.body.error.message).toContain('namespace');
    });

    it(`answers 403 without ${READ_GRANTS}`, async () => {
      const server = await start(await seeded(), p => p === READ_GRANTS);
      const response = await request(server).get(`${INVENTORY}?namespace=acme`);
      expect(response.status).toBe(403);
      expect(JSON.stringify(response.body)).not.toContain(PLANTED);
    });
  },
);
