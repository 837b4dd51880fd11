import { ConfigReader } from '@backstage/config';
import { configuredSecretValues } from './configuredSecretValues';

describe('configuredSecretValues', () => {
  it('collects every secret setting and the embedded Secrets, not the ConfigMaps', () => {
    const config = new ConfigReader({
      integrations: { github: [{ host: 'github.com', token: 'ghp-canary-1' }] },
      agents: {
        runtimes: { claudeCode: { apiKey: 'sk-canary-2' } },
        webhooks: [{ name: 'github', secret: 'webhook-canary-3' }],
        repositories: [
          {
            name: 'acme/api',
            url: 'https://git.example/api',
            token: 'repo-canary-4',
          },
        ],
        secrets: {
          acme: {
            secrets: { 'github-mcp': { token: 'mcp-canary-5', port: 8443 } },
            configMaps: { payments: { 'sandbox-url': 'https://sandbox' } },
          },
          globex: { secrets: { vault: { 'role-id': 'vault-canary-6' } } },
        },
      },
    });
    expect(configuredSecretValues(config).sort()).toEqual(
      [
        '8443',
        'ghp-canary-1',
        'mcp-canary-5',
        'repo-canary-4',
        'sk-canary-2',
        'vault-canary-6',
        'webhook-canary-3',
      ].sort(),
    );
  });

  it('is empty without secrets', () => {
    expect(configuredSecretValues(new ConfigReader({}))).toEqual([]);
  });
});
