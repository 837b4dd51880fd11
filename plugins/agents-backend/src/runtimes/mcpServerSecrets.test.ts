import { testLaunch } from '../__testUtils__/cliTestKit';
import { mcpServerSecrets } from './mcpServerSecrets';

const vault = {
  name: 'vault',
  spec: {
    transport: 'stdio',
    command: 'vault-mcp',
    secretRefs: [
      { name: 'vault-creds', key: 'token', env: 'VAULT_TOKEN' },
      { name: 'vault-creds', key: 'ca.pem' },
    ],
  },
};

function launchWith(granted?: Record<string, Record<string, string>>) {
  return {
    ...testLaunch({ workingDirectory: '/work' }),
    ...(granted
      ? {
          secrets: {
            mcpServers: granted,
            environment: {},
            values: Object.values(granted).flatMap(Object.values),
          },
        }
      : {}),
  };
}

describe('mcpServerSecrets', () => {
  it('gives each secretRef its value under the variable it names, or its key made a name', () => {
    const launch = launchWith({
      vault: { VAULT_TOKEN: 's.canary-1', ca_pem: 'pem-canary-2', OTHER: 'x' },
    });

    expect(mcpServerSecrets(launch, vault)).toEqual({
      values: { VAULT_TOKEN: 's.canary-1', ca_pem: 'pem-canary-2' },
    });
  });

  it('gives a server without secretRefs nothing, with or without granted secrets', () => {
    const plain = {
      name: 'docs',
      spec: { transport: 'http', url: 'http://x' },
    };
    expect(mcpServerSecrets(launchWith(), plain)).toEqual({ values: {} });
    expect(mcpServerSecrets(launchWith({ docs: { A: 'b' } }), plain)).toEqual({
      values: {},
    });
  });

  it('names the first key that was not granted, without any value', () => {
    const launch = launchWith({ vault: { VAULT_TOKEN: 's.canary-1' } });

    const result = mcpServerSecrets(launch, vault);

    expect(result).toEqual({
      missing:
        'Secret vault-creds key ca.pem (as ca_pem) was not granted to this attempt',
    });
    expect(JSON.stringify(result)).not.toContain('canary');
    expect(mcpServerSecrets(launchWith(), vault)).toEqual({
      missing:
        'Secret vault-creds key token (as VAULT_TOKEN) was not granted to this attempt',
    });
  });

  it('does not take inherited object members for granted values', () => {
    const launch = launchWith({});
    const server = {
      name: 'constructor',
      spec: {
        transport: 'stdio',
        secretRefs: [{ name: 's', key: 'k', env: 'toString' }],
      },
    };

    expect(mcpServerSecrets(launch, server).missing).toContain('key k');
  });
});
