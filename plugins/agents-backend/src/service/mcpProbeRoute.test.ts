import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { agentsPermissions } from '@krate/plugin-agents-common';
import request from 'supertest';
import {
  McpServerDouble,
  mcpServerObject,
  startMcpServerDouble,
} from '../__testUtils__/mcp';
import { permissionsDenying } from '../__testUtils__/permissionsDenying';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { AgentsDatabase } from '../database/AgentsDatabase';
import { DatabaseAuditStore } from '../database/AuditStore';
import { DatabaseResourceStore } from '../database/DatabaseResourceStore';
import { McpHealthController, McpProbe } from '../mcp';
import { ResourceAccess } from '../permissions/ResourceAccess';
import { agentsPermissionRules, agentsResourceRef } from '../permissions/rules';
import { createMcpProbeRoute } from './mcpProbeRoute';
import { ResourceService } from './ResourceService';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const TOKEN = 'mcp-token-1a2b3c4d5e6f7a8b';
const TOOLS = [{ name: 'search_issues', description: 'Searches issues' }];
const PROBE = '/api/agents/mcp-servers';

describe('POST /mcp-servers/:name/probe', () => {
  let double: McpServerDouble;
  beforeEach(async () => {
    double = await startMcpServerDouble({ token: TOKEN, tools: TOOLS });
  });
  afterEach(() => double.stop());

  async function start(
    permissions: { factory: any } = permissionsDenying(() => false),
    features: any[] = [],
  ) {
    const knex = await databases.init('SQLITE_3');
    const auditor = mockServices.auditor.mock();
    const plugin = createBackendPlugin({
      pluginId: 'agents',
      register(env) {
        env.registerInit({
          deps: {
            database: coreServices.database,
            httpRouter: coreServices.httpRouter,
            httpAuth: coreServices.httpAuth,
            permissions: coreServices.permissions,
            permissionsRegistry: coreServices.permissionsRegistry,
            logger: coreServices.logger,
          },
          async init(deps) {
            const db = await AgentsDatabase.create({ database: deps.database });
            const store = new DatabaseResourceStore({
              knex: db.knex,
              audit: new DatabaseAuditStore(db.knex),
            });
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
            const mcp = new McpHealthController({
              store,
              logger: deps.logger,
              probe: new McpProbe({
                secrets: {
                  forMcpServer: async () => ({
                    Authorization: `Bearer ${TOKEN}`,
                  }),
                },
              }),
            });
            deps.httpRouter.use(
              createMcpProbeRoute({
                service: new ResourceService(store, access, auditor),
                mcp,
                auditor,
              }),
            );
          },
        });
      },
    });
    const { server } = await startTestBackend({
      features: [
        plugin,
        mockServices.database.factory({ knex }),
        permissions.factory,
        ...features,
      ],
    });
    const db = await AgentsDatabase.create({
      database: mockServices.database({ knex }),
    });
    const audit = new DatabaseAuditStore(db.knex);
    const store = new DatabaseResourceStore({ knex: db.knex, audit });
    await store.create(
      mcpServerObject('github', {
        transport: 'http',
        url: double.url,
        secretRefs: [
          { name: 'github-mcp', key: 'token', env: 'Authorization' },
        ],
      }),
      { actor: 'user:default/alice' },
    );
    return { server, store, audit, auditor };
  }

  it('probes now, writes the status as the caller and answers the updated object', async () => {
    const { server, audit, auditor } = await start();
    const response = await request(server).post(
      `${PROBE}/github/probe?namespace=acme`,
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      kind: 'AgentMcpServer',
      metadata: { namespace: 'acme', name: 'github' },
      status: {
        observedGeneration: 1,
        health: 'Healthy',
        discoveredTools: TOOLS,
        conditions: [{ type: 'Ready', status: 'True', reason: 'Healthy' }],
      },
    });
    const [latest] = await audit.listForTarget({
      target: { kind: 'AgentMcpServer', namespace: 'acme', name: 'github' },
      limit: 1,
    });
    expect(latest).toMatchObject({
      action: 'update-status',
      actor: mockCredentials.user().principal.userEntityRef,
    });
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'mcp-server-probe',
        meta: { kind: 'AgentMcpServer', namespace: 'acme', name: 'github' },
      }),
    );
  });

  it('answers 403 without agents.mcp-server.update on the server, probing nothing', async () => {
    const { server, store } = await start(
      permissionsDenying(name => name === 'agents.mcp-server.update'),
    );
    const response = await request(server).post(
      `${PROBE}/github/probe?namespace=acme`,
    );
    expect(response.status).toBe(403);
    expect(response.body.error.message).toBe(
      'agents.mcp-server.update is not allowed on AgentMcpServer acme/github',
    );
    expect(double.requests).toEqual([]);
    expect((await store.get('AgentMcpServer', 'acme', 'github'))?.status).toBe(
      undefined,
    );
  });

  it('answers 404 for a server the org does not have', async () => {
    const { server } = await start();
    const response = await request(server).post(
      `${PROBE}/gitlab/probe?namespace=acme`,
    );
    expect(response.status).toBe(404);
    expect(response.body.error.message).toBe(
      'AgentMcpServer acme/gitlab not found',
    );
  });

  it('answers 400 naming namespace when it is missing', async () => {
    const { server } = await start();
    const response = await request(server).post(`${PROBE}/github/probe`);
    expect(response.status).toBe(400);
    expect(response.body.error.message).toBe('namespace: is required');
  });

  it('answers 401 without credentials', async () => {
    const { server } = await start(undefined, [
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
    ]);
    const response = await request(server).post(
      `${PROBE}/github/probe?namespace=acme`,
    );
    expect(response.status).toBe(401);
  });
});
