import { ConfigReader } from '@backstage/config';
import { createTestStore } from '../__testUtils__/createTestStore';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { testProfile } from '../__testUtils__/testDispatchEngine';
import { object, secretGrant, seed } from '../controllers/stack/testObjects';
import { ConfigSecretSource } from './ConfigSecretSource';
import { LaunchSecretResolver } from './LaunchSecretResolver';
import { SecretSources } from './SecretSources';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const TOKEN = 'planted-token-7Qx';
const SANDBOX = 'https://sandbox.planted.example';

const github = {
  name: 'github',
  spec: {
    transport: 'http',
    url: 'https://mcp.example.com',
    secretRefs: [{ name: 'github', key: 'token', env: 'Authorization' }],
  },
};
const runbook = {
  name: 'runbook',
  spec: {
    requiredSecrets: [{ name: 'github', key: 'token' }],
    requiredConfig: [{ name: 'payments', key: 'sandbox-url' }],
  },
};
const configGrant = (subjects: { kind: string; name: string }[]) =>
  object('AgentConfigGrant', 'payments', {
    configMapName: 'payments',
    keys: ['sandbox-url'],
    subjects,
    purpose: 'sandbox',
  });

describe.each(databases.eachSupportedId())('LaunchSecretResolver on %p', id => {
  async function setUp(secrets: Record<string, any> = {}) {
    const { store } = await createTestStore(databases, id);
    const sources = new SecretSources([
      new ConfigSecretSource(
        new ConfigReader({
          agents: {
            secrets: {
              acme: {
                secrets: { github: { token: TOKEN } },
                configMaps: { payments: { 'sandbox-url': SANDBOX } },
                ...secrets,
              },
            },
          },
        }),
      ),
    ]);
    const resolver = new LaunchSecretResolver({
      store,
      sources,
      now: () => new Date('2026-06-01T00:00:00Z'),
    });
    return { store, resolver };
  }

  it('gives each granted consumer its values: MCP headers by env, skill keys as tool environment', async () => {
    const { store, resolver } = await setUp();
    await seed(
      store,
      secretGrant('github', { subjects: [{ kind: 'agent', name: 'bot' }] }),
      configGrant([
        { kind: 'agent', name: 'bot' },
        { kind: 'skill', name: 'runbook' },
      ]),
    );
    const secrets = await resolver.resolve(
      'acme',
      testProfile('reviewer', {
        runtimeServiceAccount: 'bot',
        mcpServers: [github],
        subagents: [{ name: 'helper', spec: { skills: [runbook] } }],
      }),
    );
    expect(secrets).toEqual({
      mcpServers: { github: { Authorization: TOKEN } },
      environment: { token: TOKEN, sandbox_url: SANDBOX },
      values: [TOKEN, SANDBOX],
    });
  });

  it('resolves nothing for a stack without needs, whatever it runs as', async () => {
    const { resolver } = await setUp();
    expect(await resolver.resolve('acme', testProfile('plain'))).toEqual({
      mcpServers: {},
      environment: {},
      values: [],
    });
  });

  it('refuses a key granted to another identity, to another consumer, or expired, naming key and consumer but never the value', async () => {
    const { store, resolver } = await setUp();
    await seed(
      store,
      secretGrant('github', {
        subjects: [
          { kind: 'agent', name: 'bot' },
          { kind: 'mcp-server', name: 'github' },
        ],
      }),
      configGrant([{ kind: 'agent', name: 'bot' }]),
    );
    // Scoped to the MCP server: the skill's need of the same key is not covered.
    const scoped = resolver.resolve(
      'acme',
      testProfile('reviewer', {
        runtimeServiceAccount: 'bot',
        mcpServers: [github],
        skills: [runbook],
      }),
    );
    await expect(scoped).rejects.toThrow(
      'Secret github key token (AgentSkill/runbook spec.requiredSecrets[0]): no live AgentSecretGrant gives it to agent:bot for skill:runbook',
    );
    const other: Error = await resolver
      .resolve(
        'acme',
        testProfile('reviewer', {
          runtimeServiceAccount: 'someone-else',
          mcpServers: [github],
        }),
      )
      .then(
        () => new Error('resolved'),
        e => e,
      );
    expect(other.message).toContain(
      'Secret github key token (AgentMcpServer/github spec.secretRefs[0]): no live AgentSecretGrant gives it to agent:someone-else for mcp-server:github',
    );
    expect(other.message).not.toContain(TOKEN);

    const { store: store2, resolver: resolver2 } = await setUp();
    await seed(
      store2,
      secretGrant('github', {
        subjects: [{ kind: 'agent', name: 'bot' }],
        expiresAt: '2026-05-01T00:00:00Z',
      }),
    );
    await expect(
      resolver2.resolve(
        'acme',
        testProfile('reviewer', {
          runtimeServiceAccount: 'bot',
          mcpServers: [github],
        }),
      ),
    ).rejects.toThrow('no live AgentSecretGrant gives it to agent:bot');
  });

  it('fails a granted key that no source holds, naming the grant', async () => {
    const { store, resolver } = await setUp({ secrets: {} });
    await seed(
      store,
      secretGrant('github', { subjects: [{ kind: 'agent', name: 'bot' }] }),
    );
    await expect(
      resolver.resolve(
        'acme',
        testProfile('reviewer', {
          runtimeServiceAccount: 'bot',
          mcpServers: [github],
        }),
      ),
    ).rejects.toThrow(
      'Secret github key token (AgentMcpServer/github spec.secretRefs[0]): granted by AgentSecretGrant/github, but no secret source (config) holds it',
    );
  });

  it('gives the MCP prober a server’s headers when a grant names the server, without an agent subject', async () => {
    const { store, resolver } = await setUp();
    await seed(store, object('AgentMcpServer', 'github', github.spec));
    await seed(
      store,
      secretGrant('agent-only', { subjects: [{ kind: 'agent', name: 'bot' }] }),
    );
    await expect(resolver.forMcpServer('acme', 'github')).rejects.toThrow(
      'no live AgentSecretGrant names mcp-server:github as a subject',
    );
    await seed(
      store,
      secretGrant('server', {
        subjects: [{ kind: 'mcp-server', name: 'github' }],
      }),
    );
    expect(await resolver.forMcpServer('acme', 'github')).toEqual({
      Authorization: TOKEN,
    });
    await expect(resolver.forMcpServer('acme', 'nope')).rejects.toThrow(
      'AgentMcpServer acme/nope not found',
    );
  });
});
