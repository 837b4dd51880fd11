import { ConfigReader } from '@backstage/config';
import { Condition } from '@krate/plugin-agents-common';
import { AgentSecretSource } from '@krate/plugin-agents-node';
import { createTestStore } from '../../__testUtils__/createTestStore';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { ConfigSecretSource } from '../../secrets/ConfigSecretSource';
import { SecretSources } from '../../secrets/SecretSources';
import { RuntimeAvailability } from './RuntimeAvailability';
import { StackResolver } from './StackResolver';
import {
  object,
  registryOf,
  secretGrant,
  seed,
  serviceAccount,
  testRuntime,
} from './testObjects';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const reasons = (conditions: Condition[]) =>
  conditions.filter(c => c.type !== 'Ready').map(c => c.reason);

/** Lists like the config source but fails any read: readiness must never read a value. */
function listingOnly(source: AgentSecretSource): AgentSecretSource {
  return {
    id: source.id,
    list: org => source.list(org),
    read: async () => {
      throw new Error('readiness read a value');
    },
  };
}

describe.each(databases.eachSupportedId())('readiness of secrets on %p', id => {
  async function setUp(sources: AgentSecretSource[]) {
    const { store } = await createTestStore(databases, id);
    const resolver = new StackResolver({
      store,
      runtimes: registryOf(testRuntime('mux')),
      availability: new RuntimeAvailability({ maxAgeMs: 0 }),
      secrets: new SecretSources(sources),
    });
    await seed(
      store,
      serviceAccount('bot'),
      object('AgentMcpServer', 'github', {
        transport: 'http',
        url: 'https://mcp.example.com',
        secretRefs: [{ name: 'github', key: 'token', env: 'Authorization' }],
      }),
      object('AgentStack', 'reviewer', {
        runtime: 'mux',
        mcpServers: ['github'],
        runtimeServiceAccountName: 'bot',
      }),
    );
    return { store, resolver };
  }
  const config = (secrets: object) =>
    listingOnly(
      new ConfigSecretSource(
        new ConfigReader({ agents: { secrets: { acme: { secrets } } } }),
      ),
    );

  it('is Invalid MissingSecret when a granted key is held by no source, naming key, consumer, grant and the fix', async () => {
    const { store, resolver } = await setUp([config({})]);
    await seed(store, secretGrant('github-token', {}));
    const resolved = await resolver.resolve('acme', 'reviewer');
    expect(resolved.readiness).toBe('Invalid');
    expect(reasons(resolved.conditions)).toEqual(['MissingSecret']);
    const message = resolved.conditions.find(
      c => c.reason === 'MissingSecret',
    )!.message;
    expect(message).toContain(
      'AgentStack acme/reviewer needs Secret github key token (AgentMcpServer/github spec.secretRefs[0]), granted by AgentSecretGrant/github-token, but no secret source (config) holds this key. Add agents.secrets.acme.secrets.github.token in the backend config.',
    );
  });

  it('is Ready once a source holds the granted key, and reads no value to say so', async () => {
    const { store, resolver } = await setUp([
      config({ github: { token: 'planted-value' } }),
    ]);
    await seed(store, secretGrant('github-token', {}));
    const resolved = await resolver.resolve('acme', 'reviewer');
    expect(reasons(resolved.conditions)).toEqual([]);
    expect(resolved.readiness).toBe('Ready');
    expect(JSON.stringify(resolved)).not.toContain('planted-value');
  });

  it('keeps MissingGrant alone for a key no grant covers', async () => {
    const { resolver } = await setUp([config({})]);
    const resolved = await resolver.resolve('acme', 'reviewer');
    expect(reasons(resolved.conditions)).toEqual(['MissingGrant']);
  });

  it('warns instead of blocking when a source that might hold the key cannot list', async () => {
    const { store, resolver } = await setUp([
      config({}),
      {
        id: 'kubernetes',
        list: async () => {
          throw new Error('the cluster is unreachable');
        },
        read: async () => undefined,
      },
    ]);
    await seed(store, secretGrant('github-token', {}));
    const resolved = await resolver.resolve('acme', 'reviewer');
    expect(resolved.readiness).not.toBe('Invalid');
    const warning = resolved.conditions.find(
      c => c.reason === 'SecretSourceUnavailable',
    );
    expect(warning?.message).toContain(
      'source kubernetes could not list: the cluster is unreachable',
    );
  });
});
