import {
  mockServices,
  startTestBackend,
  TestDatabaseId,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { agentsPlugin } from '../plugin';
import { createTestStore } from '../__testUtils__/createTestStore';
import { gitSandbox } from '../__testUtils__/gitFixtures';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { SurfaceProbe } from './SurfaceProbe';
import { WorkspaceInventory } from './WorkspaceInventory';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const ACTION = (name: string) => `/api/agents/workspaces/${name}/action`;
const WORKSPACES =
  '/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/agentworkspaces';

/** A dev server: `/` answers 200 (or `rootStatus`), `/moved` 302, `/broken` 503, `/hang` never. */
async function devServer() {
  const state = { rootStatus: 200 };
  const hanging: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    switch (req.url) {
      case '/':
        res.writeHead(state.rootStatus).end('hello');
        return;
      case '/moved':
        res.writeHead(302, { location: '/' }).end();
        return;
      case '/broken':
        res.writeHead(503).end('starting');
        return;
      default:
        hanging.push(res);
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    state,
    close: () =>
      new Promise<void>(resolve => {
        hanging.forEach(res => res.destroy());
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL nothing listens on. */
async function refusedUrl() {
  const server = http.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>(resolve => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/`;
}

describe.each(databases.eachSupportedId())('runtime surfaces on %p', id => {
  let sandbox: ReturnType<typeof gitSandbox>;
  let dev: Awaited<ReturnType<typeof devServer>>;
  beforeEach(async () => {
    sandbox = gitSandbox();
    dev = await devServer();
  });
  afterEach(async () => {
    await dev.close();
    sandbox.cleanup();
  });

  async function start(
    databaseId: TestDatabaseId,
    options: { denyActions?: boolean } = {},
  ) {
    const events: any[] = [];
    const { db } = await createTestStore(databases, databaseId);
    const auditor = mockServices.auditor.mock({
      createEvent: async ({ eventId, meta }: any) => ({
        success: async () => {
          events.push({ eventId, meta, outcome: 'success' });
        },
        fail: async ({ error }: any) => {
          events.push({ eventId, meta, outcome: 'fail', error: error.message });
        },
      }),
    });
    const permissions = mockServices.permissions.mock({
      authorizeConditional: async requests =>
        requests.map(({ permission }) => ({
          result:
            options.denyActions && permission.name === 'agents.workspace.action'
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        })),
    });
    const { server } = await startTestBackend({
      features: [
        agentsPlugin,
        permissions.factory,
        auditor.factory,
        mockServices.database.factory({ knex: db.knex }),
        mockServices.rootConfig.factory({
          data: {
            agents: {
              workspaces: {
                root: sandbox.root,
                repositoryRoots: [sandbox.base],
              },
            },
          },
        }),
      ],
    });
    return { server, events };
  }

  const act = (server: any, name: string, body: object) =>
    request(server)
      .post(ACTION(name))
      .send({ namespace: 'acme', ...body });

  async function provision(server: any, name: string) {
    const response = await act(server, name, {
      action: 'provision',
      repository: 'acme/payments-api',
      repositoryPath: sandbox.repo,
      trustTier: 'trusted',
    });
    expect(response.status).toBe(201);
  }

  it('registers surfaces with their health checked over HTTP, removes them, and audits both', async () => {
    const { server, events } = await start(id);
    await provision(server, 'w1');
    const refused = await refusedUrl();

    const web = await act(server, 'w1', {
      action: 'surface-register',
      kind: 'dev-server',
      name: 'web',
      url: `${dev.base}/`,
    });
    expect(web.status).toBe(200);
    expect(web.body.action).toMatchObject({
      action: 'surface-register',
      result: 'succeeded',
      message: `registered dev-server surface web at ${dev.base}/: ready (HTTP 200)`,
    });
    await act(server, 'w1', {
      action: 'surface-register',
      kind: 'preview',
      name: 'preview',
      url: `${dev.base}/broken`,
      port: 3000,
    });
    await act(server, 'w1', {
      action: 'surface-register',
      kind: 'logs',
      name: 'logs',
      url: refused,
    });
    const terminal = await act(server, 'w1', {
      action: 'surface-register',
      kind: 'terminal',
      name: 'shell',
      port: 7681,
    });
    expect(terminal.body.status.runtimeSurfaces).toEqual([
      {
        kind: 'dev-server',
        name: 'web',
        url: `${dev.base}/`,
        health: 'ready',
        message: 'HTTP 200',
      },
      {
        kind: 'preview',
        name: 'preview',
        url: `${dev.base}/broken`,
        port: 3000,
        health: 'degraded',
        message: 'answered HTTP 503',
      },
      {
        kind: 'logs',
        name: 'logs',
        url: refused,
        health: 'unavailable',
        message: 'connection refused',
      },
      {
        kind: 'terminal',
        name: 'shell',
        port: 7681,
        health: 'unknown',
        message: 'no http(s) URL to check',
      },
    ]);

    // Registering a name again replaces the surface.
    const moved = await act(server, 'w1', {
      action: 'surface-register',
      kind: 'preview',
      name: 'preview',
      url: `${dev.base}/moved`,
    });
    expect(
      moved.body.status.runtimeSurfaces.find((s: any) => s.name === 'preview'),
    ).toEqual({
      kind: 'preview',
      name: 'preview',
      url: `${dev.base}/moved`,
      health: 'ready',
      message: 'HTTP 302',
    });

    const removed = await act(server, 'w1', {
      action: 'surface-remove',
      name: 'logs',
    });
    expect(removed.status).toBe(200);
    expect(removed.body.status.runtimeSurfaces.map((s: any) => s.name)).toEqual(
      ['web', 'preview', 'shell'],
    );
    const missing = await act(server, 'w1', {
      action: 'surface-remove',
      name: 'logs',
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe(
      "name: the workspace has no runtime surface 'logs'",
    );

    const stored = await request(server).get(`${WORKSPACES}/w1`);
    expect(stored.body.status.runtimeSurfaces).toEqual(
      removed.body.status.runtimeSurfaces,
    );
    expect(events).toContainEqual({
      eventId: 'workspace-action',
      meta: {
        action: 'surface-register',
        kind: 'AgentWorkspace',
        namespace: 'acme',
        name: 'w1',
      },
      outcome: 'success',
    });
    expect(events).toContainEqual(
      expect.objectContaining({
        eventId: 'workspace-action',
        meta: expect.objectContaining({ action: 'surface-remove' }),
        outcome: 'success',
      }),
    );
  });

  it('refuses URLs with credentials or other schemes naming the field, and stores none of them', async () => {
    const { server } = await start(id);
    await provision(server, 'w1');
    const register = (params: object) =>
      act(server, 'w1', {
        action: 'surface-register',
        kind: 'preview',
        name: 'web',
        ...params,
      });
    const cases: [object, string][] = [
      [{ url: 'http://alice:hunter2@127.0.0.1:3000/' }, 'url: must not hold'],
      [{ url: 'http://ghp_abc@127.0.0.1:3000/' }, 'url: must not hold'],
      [
        { url: 'http://127.0.0.1:3000/?token=s3cr3t' },
        "url: must not carry 'token'",
      ],
      [
        { url: 'https://bucket.example.com/a?X-Amz-Signature=s3cr3t' },
        "url: must not carry 'X-Amz-Signature'",
      ],
      [
        { url: 'http://127.0.0.1/?api_key=s3cr3t' },
        "url: must not carry 'api_key'",
      ],
      [
        { url: 'http://127.0.0.1/?password=s3cr3t' },
        "url: must not carry 'password'",
      ],
      [
        { url: 'http://127.0.0.1/#access_token=s3cr3t' },
        "url: must not carry 'access_token'",
      ],
      [
        { url: 'file:///etc/passwd' },
        'url: must be an http or https URL, not file',
      ],
      [
        { url: 'gopher://127.0.0.1/x' },
        'url: must be an http or https URL, not gopher',
      ],
      [{ url: 'not a url' }, 'url: must be an absolute http(s) URL'],
      [{}, 'url: is required unless a port is given'],
      [{ port: 70000 }, 'port: must be an integer from 1 to 65535'],
      [{ kind: 'ftp', url: 'http://127.0.0.1/' }, 'kind: must be one of'],
      [{ name: '../x', url: 'http://127.0.0.1/' }, 'name: must be'],
    ];
    for (const [params, message] of cases) {
      const response = await register(params);
      expect({
        params,
        status: response.status,
        message: response.body.error?.message,
      }).toEqual({
        params,
        status: 400,
        message: expect.stringContaining(message),
      });
    }
    const stored = await request(server).get(`${WORKSPACES}/w1`);
    expect(stored.body.status.runtimeSurfaces).toBeUndefined();
    expect(JSON.stringify(stored.body)).not.toMatch(/s3cr3t|hunter2|ghp_abc/);
  });

  it('answers 403 without agents.workspace.action', async () => {
    const { server } = await start(id, { denyActions: true });
    const response = await act(server, 'w1', {
      action: 'surface-register',
      kind: 'preview',
      name: 'web',
      url: `${dev.base}/`,
    });
    expect(response.status).toBe(403);
  });

  it('re-checks every surface in the inventory', async () => {
    const { store } = await createTestStore(databases, id);
    const refused = await refusedUrl();
    await store.create(
      {
        apiVersion: 'agents.krate.dev/v1alpha1',
        kind: 'AgentWorkspace',
        metadata: { namespace: 'acme', name: 'external' },
        spec: {
          repository: 'acme/payments-api',
          externalId: 'codespace-1',
          ownership: { kind: 'manual' },
          trustTier: 'trusted',
        },
        status: {
          state: 'active',
          runtimeSurfaces: [
            { kind: 'dev-server', name: 'web', url: `${dev.base}/` },
            { kind: 'preview', name: 'moved', url: `${dev.base}/moved` },
            { kind: 'logs', name: 'hang', url: `${dev.base}/hang` },
            {
              kind: 'mcp',
              name: 'mcp',
              url: refused,
              health: 'ready',
              message: 'HTTP 200',
            },
            { kind: 'port-forward', name: 'db', port: 5432 },
          ],
        },
      },
      { actor: 'user:default/alice' },
    );
    const inventory = new WorkspaceInventory({
      store,
      logger: mockServices.logger.mock(),
      surfaceProbe: new SurfaceProbe({ timeoutMs: 300 }),
    });
    const surfaces = async () =>
      (
        (await store.get('AgentWorkspace', 'acme', 'external'))!.status as any
      ).runtimeSurfaces.map((s: any) => [s.name, s.health, s.message]);

    await inventory.refreshAll();
    expect(await surfaces()).toEqual([
      ['web', 'ready', 'HTTP 200'],
      ['moved', 'ready', 'HTTP 302'],
      ['hang', 'unavailable', 'no answer within 300 ms'],
      ['mcp', 'unavailable', 'connection refused'],
      ['db', 'unknown', 'no http(s) URL to check'],
    ]);

    dev.state.rootStatus = 500;
    await inventory.refreshAll();
    expect((await surfaces())[0]).toEqual([
      'web',
      'degraded',
      'answered HTTP 500',
    ]);
  });
});
