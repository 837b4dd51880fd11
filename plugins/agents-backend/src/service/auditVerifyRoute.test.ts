import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { agentsPermissions } from '@krate/plugin-agents-common';
import request from 'supertest';
import { permissionsDenying } from '../__testUtils__/permissionsDenying';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { AgentsDatabase } from '../database/AgentsDatabase';
import { DatabaseAuditStore } from '../database/AuditStore';
import { ResourceAccess } from '../permissions/ResourceAccess';
import { agentsPermissionRules, agentsResourceRef } from '../permissions/rules';
import { createAuditVerifyRoute } from './auditVerifyRoute';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const VERIFY = '/api/agents/audit/verify';

/** The route wired the way plugin.ts wires the agents router, and nothing else. */
const auditVerifyPlugin = createBackendPlugin({
  pluginId: 'agents',
  register(env) {
    env.registerInit({
      deps: {
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
      },
      async init(deps) {
        const db = await AgentsDatabase.create({ database: deps.database });
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
          createAuditVerifyRoute({
            audit: new DatabaseAuditStore(db.knex),
            access,
          }),
        );
      },
    });
  },
});

describe('GET /audit/verify', () => {
  async function start(
    permissions: { factory: any } = permissionsDenying(() => false),
    features: any[] = [],
  ) {
    const knex = await databases.init('SQLITE_3');
    const { server } = await startTestBackend({
      features: [
        auditVerifyPlugin,
        mockServices.database.factory({ knex }),
        permissions.factory,
        ...features,
      ],
    });
    const audit = new DatabaseAuditStore(knex);
    for (const name of ['reviewer', 'fixer']) {
      await audit.append({
        actor: 'user:default/alice',
        action: 'create',
        target: { kind: 'AgentStack', namespace: 'acme', name },
      });
    }
    return { server, knex };
  }

  it('answers ok with the record count and head of an intact chain', async () => {
    const { server } = await start();
    const response = await request(server).get(`${VERIFY}?org=acme`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      org: 'acme',
      ok: true,
      records: 2,
      head: { seq: 2, digest: expect.stringMatching(/^sha256:/) },
    });
  });

  it('answers 200 with where the chain breaks', async () => {
    const { server, knex } = await start();
    // Verifying seals the records written so far into the chain; then one is edited.
    const sealed = await request(server).get(`${VERIFY}?org=acme`);
    expect(sealed.body).toMatchObject({ ok: true });
    await knex('agents_audit_records')
      .where({ namespace: 'acme', seq: 1 })
      .update({ actor: 'user:default/mallory' });
    const response = await request(server).get(`${VERIFY}?org=acme`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      org: 'acme',
      ok: false,
      brokenAt: { seq: 1, id: expect.any(String), reason: 'digest-mismatch' },
    });
  });

  it.each([
    ['', 'org: is required'],
    ['?org=', 'org: is required'],
    ['?org=a&org=b', 'org: must be given once, as a string'],
    [
      '?org=Acme_Corp',
      "org: 'Acme_Corp' is not a namespace name (lowercase letters, digits and '-', at most 63)",
    ],
  ])('answers 400 naming the field for %p', async (query, message) => {
    const { server } = await start();
    const response = await request(server).get(`${VERIFY}${query}`);
    expect(response.status).toBe(400);
    expect(response.body.error.message).toBe(message);
  });

  it('answers 403 unless the caller may read every kind in the org', async () => {
    const denied = ['agents.secret-grant.read', 'agents.run.read'];
    const { server } = await start(
      permissionsDenying(name => denied.includes(name)),
    );
    const response = await request(server).get(`${VERIFY}?org=acme`);
    expect(response.status).toBe(403);
    expect(response.body.error.message).toBe(
      'Verifying the audit chain of org acme needs read on every kind there; not allowed: agents.secret-grant.read, agents.run.read',
    );
  });

  it('follows org-scoped policies: read in the org is what counts', async () => {
    const onlyGlobex = mockServices.permissions.mock({
      authorizeConditional: async requests =>
        requests.map(() => ({
          result: AuthorizeResult.CONDITIONAL,
          pluginId: 'agents',
          resourceType: 'agents-resource',
          conditions: {
            rule: 'IS_IN_NAMESPACE',
            resourceType: 'agents-resource',
            params: { namespaces: ['globex'] },
          },
        })) as any,
    });
    const { server } = await start(onlyGlobex);
    expect((await request(server).get(`${VERIFY}?org=acme`)).status).toBe(403);
    const globex = await request(server).get(`${VERIFY}?org=globex`);
    expect(globex.status).toBe(200);
    expect(globex.body).toEqual({ org: 'globex', ok: true, records: 0 });
  });

  it('answers 401 without credentials', async () => {
    const { server } = await start(undefined, [
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
    ]);
    expect((await request(server).get(`${VERIFY}?org=acme`)).status).toBe(401);
  });
});
