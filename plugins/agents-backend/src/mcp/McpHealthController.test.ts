import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AgentMcpServer } from '@krate/plugin-agents-common';
import { createTestStore } from '../__testUtils__/createTestStore';
import {
  McpServerDouble,
  mcpServerObject,
  startMcpServerDouble,
} from '../__testUtils__/mcp';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { ConfigSecretSource } from '../secrets/ConfigSecretSource';
import { LaunchSecretResolver } from '../secrets/LaunchSecretResolver';
import { SecretSources } from '../secrets/SecretSources';
import { StackController } from '../controllers/stack';
import {
  ALICE,
  registryOf,
  testRuntime,
} from '../controllers/stack/testObjects';
import {
  McpHealthController,
  MCP_HEALTH_CONTROLLER_ACTOR,
} from './McpHealthController';
import { McpProbe } from './McpProbe';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const TOKEN = 'mcp-token-9d8c7b6a5f4e3d2c';
const TOOLS = [
  { name: 'search_issues', description: 'Searches issues' },
  { name: 'create_issue' },
];
const tokenRef = { name: 'github-mcp', key: 'token', env: 'Authorization' };

describe.each(databases.eachSupportedId())('McpHealthController on %p', id => {
  let double: McpServerDouble;
  const running: { stop(): Promise<void> }[] = [];
  beforeEach(async () => {
    double = await startMcpServerDouble({ token: TOKEN, tools: TOOLS });
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map(r => r.stop()));
    await double.stop();
  });

  async function setUp(granted: Record<string, string> | 'resolver' = {}) {
    const { store, audit } = await createTestStore(databases, id);
    const logger = mockServices.logger.mock();
    const secrets =
      granted === 'resolver'
        ? new LaunchSecretResolver({
            store,
            sources: new SecretSources([
              new ConfigSecretSource(
                new ConfigReader({
                  agents: {
                    secrets: {
                      acme: {
                        secrets: {
                          'github-mcp': { token: `Bearer ${TOKEN}` },
                        },
                      },
                    },
                  },
                }),
              ),
            ]),
          })
        : { forMcpServer: async () => granted };
    const controller = new McpHealthController({
      store,
      logger,
      probe: new McpProbe({ secrets, timeoutMs: 5_000 }),
      pollMs: 100,
    });
    const server = async (name = 'github') =>
      (await store.get('AgentMcpServer', 'acme', name)) as AgentMcpServer;
    const start = async () => {
      await controller.start();
      running.push(controller);
      return controller;
    };
    return { store, audit, logger, controller, server, start };
  }

  it('probes a server as soon as it is created and writes what it found', async () => {
    const { store, audit, server, start } = await setUp({
      Authorization: `Bearer ${TOKEN}`,
    });
    const controller = await start();
    await store.create(
      mcpServerObject('github', {
        transport: 'http',
        url: double.url,
        secretRefs: [tokenRef],
      }),
      ALICE,
    );
    await controller.whenSynced();
    const { status } = await server();
    expect(status).toEqual({
      observedGeneration: 1,
      health: 'Healthy',
      lastProbeTime: expect.any(String),
      discoveredTools: TOOLS,
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Healthy',
          message:
            'krate-mcp-double 1.0.0 answered initialize and listed 2 tools',
          lastTransitionTime: status!.lastProbeTime,
        },
      ],
    });
    const writes = await audit.listForTarget({
      target: { kind: 'AgentMcpServer', namespace: 'acme', name: 'github' },
      limit: 10,
    });
    expect(writes.map(w => [w.action, w.actor])).toEqual([
      ['update-status', MCP_HEALTH_CONTROLLER_ACTOR],
      ['create', ALICE.actor],
    ]);
  });

  it('probes again when the spec changes, keeping the tools last discovered', async () => {
    const { store, server, start } = await setUp({
      Authorization: `Bearer ${TOKEN}`,
    });
    await store.create(
      mcpServerObject('github', {
        transport: 'http',
        url: double.url,
        secretRefs: [tokenRef],
      }),
      ALICE,
    );
    const controller = await start();
    await controller.whenSynced();
    expect((await server()).status).toMatchObject({ health: 'Healthy' });

    const current = await server();
    await store.update(
      { ...current, spec: { ...current.spec, url: `${double.url}-moved` } },
      ALICE,
    );
    await controller.whenSynced();
    expect((await server()).status).toMatchObject({
      observedGeneration: 2,
      health: 'Unreachable',
      discoveredTools: TOOLS,
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: 'HttpError',
          message: expect.stringContaining('answered HTTP 404'),
        },
      ],
    });
  });

  it('probes every server of every org on each scheduled round', async () => {
    const { store, server, controller } = await setUp({
      Authorization: `Bearer ${TOKEN}`,
    });
    await store.create(
      mcpServerObject('github', {
        transport: 'http',
        url: double.url,
        secretRefs: [tokenRef],
      }),
      ALICE,
    );
    await store.create(
      {
        ...mcpServerObject('jira', { transport: 'sse', url: double.sseUrl }),
        metadata: { namespace: 'globex', name: 'jira' },
      },
      ALICE,
    );
    expect(await controller.probeAll()).toEqual({
      Healthy: 1,
      Unreachable: 1,
    });
    const first = (await server()).status!.lastProbeTime!;
    expect(
      (await store.get('AgentMcpServer', 'globex', 'jira'))?.status,
    ).toMatchObject({
      health: 'Unreachable',
      conditions: [{ reason: 'Unauthorized' }],
    });

    await new Promise(resolve => setTimeout(resolve, 20));
    await controller.probeAll();
    const second = (await server()).status!;
    expect(second.lastProbeTime! > first).toBe(true);
    // Unchanged health and reason: the condition keeps its transition time.
    expect(second.conditions![0].lastTransitionTime).toBe(first);
  });

  it('gets the token only through a grant, and probes again when the grant arrives', async () => {
    const { store, server, start } = await setUp('resolver');
    await store.create(
      mcpServerObject('github', {
        transport: 'http',
        url: double.url,
        secretRefs: [tokenRef],
      }),
      ALICE,
    );
    const controller = await start();
    await controller.whenSynced();
    expect((await server()).status).toMatchObject({
      health: 'Unknown',
      conditions: [
        { type: 'Ready', status: 'Unknown', reason: 'SecretsUnavailable' },
      ],
    });
    expect(double.requests).toEqual([]);

    await store.create(
      {
        apiVersion: 'agents.krate.dev/v1alpha1',
        kind: 'AgentSecretGrant',
        metadata: { namespace: 'acme', name: 'github-mcp-probe' },
        spec: {
          secretName: 'github-mcp',
          keys: ['token'],
          subjects: [{ kind: 'mcp-server', name: 'github' }],
          purpose: 'The GitHub MCP server authenticates with it',
        },
      },
      ALICE,
    );
    await controller.whenSynced();
    expect((await server()).status).toMatchObject({
      health: 'Healthy',
      discoveredTools: TOOLS,
    });
    expect(double.requests.length).toBeGreaterThan(0);
    expect(double.requests.every(r => r.authorized)).toBe(true);
  });

  it('makes the stack controller warn about an unreachable server a stack mounts', async () => {
    const { store, start } = await setUp({});
    await store.create(
      mcpServerObject('github', {
        transport: 'http',
        url: double.url,
        secretRefs: [tokenRef],
      }),
      ALICE,
    );
    await store.create(
      {
        apiVersion: 'agents.krate.dev/v1alpha1',
        kind: 'AgentStack',
        metadata: { namespace: 'acme', name: 'reviewer' },
        spec: { runtime: 'mux', mcpServers: ['github'] },
      },
      ALICE,
    );
    const stacks = new StackController({
      store,
      runtimes: registryOf(testRuntime('mux')),
      logger: mockServices.logger.mock(),
      pollMs: 100,
    });
    await stacks.start();
    running.push(stacks);
    const health = await start();
    await health.whenSynced();
    await stacks.whenSynced();
    const stack = await store.get('AgentStack', 'acme', 'reviewer');
    const warning = (stack?.status?.conditions as any[]).find(
      c => c.reason === 'McpServerUnhealthy',
    );
    expect(warning).toMatchObject({ type: 'Warning', status: 'True' });
    expect(warning.message).toContain(
      'AgentMcpServer/github, mounted by AgentStack acme/reviewer, is unhealthy (health Unreachable',
    );
    expect(warning.message).toContain('answered 401 Unauthorized');
  });
});
