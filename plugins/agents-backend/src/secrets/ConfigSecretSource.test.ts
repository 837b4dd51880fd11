import { ConfigReader } from '@backstage/config';
import { ConfigSecretSource } from './ConfigSecretSource';

const source = new ConfigSecretSource(
  new ConfigReader({
    agents: {
      secrets: {
        acme: {
          secrets: {
            'github-mcp': { token: 'ghs-value-1', 'tls.crt': 'cert-text' },
            broken: 'not an object',
          },
          configMaps: {
            'payments-agent-config': {
              'sandbox-url': 'https://sb',
              port: 8443,
            },
          },
        },
        other: { secrets: { db: { password: 'other-org-value' } } },
      },
    },
  }),
);

describe('ConfigSecretSource', () => {
  it('lists the org’s Secrets and ConfigMaps with their keys and no values', async () => {
    const listed = await source.list('acme');
    expect(listed).toEqual([
      {
        source: 'Secret',
        name: 'github-mcp',
        keys: ['token', 'tls.crt'],
        from: 'config',
      },
      {
        source: 'ConfigMap',
        name: 'payments-agent-config',
        keys: ['sandbox-url', 'port'],
        from: 'config',
      },
    ]);
    expect(JSON.stringify(listed)).not.toContain('ghs-value-1');
  });

  it('reads one key of the org, dotted keys included, and nothing of another org', async () => {
    expect(
      await source.read('acme', {
        source: 'Secret',
        name: 'github-mcp',
        key: 'token',
      }),
    ).toBe('ghs-value-1');
    expect(
      await source.read('acme', {
        source: 'Secret',
        name: 'github-mcp',
        key: 'tls.crt',
      }),
    ).toBe('cert-text');
    expect(
      await source.read('acme', {
        source: 'ConfigMap',
        name: 'payments-agent-config',
        key: 'port',
      }),
    ).toBe('8443');
    // A ConfigMap is not a Secret of the same name, and orgs do not share.
    expect(
      await source.read('acme', {
        source: 'Secret',
        name: 'payments-agent-config',
        key: 'port',
      }),
    ).toBeUndefined();
    expect(
      await source.read('acme', {
        source: 'Secret',
        name: 'db',
        key: 'password',
      }),
    ).toBeUndefined();
  });

  it('holds nothing when agents.secrets is absent', async () => {
    const empty = new ConfigSecretSource(new ConfigReader({}));
    expect(await empty.list('acme')).toEqual([]);
    expect(
      await empty.read('acme', { source: 'Secret', name: 'x', key: 'y' }),
    ).toBeUndefined();
  });
});
