import { mcpServerSecrets } from '../../runtimes/mcpServerSecrets';
import { scriptedLaunch } from '../../__testUtils__/scriptedTestKit';
import { podGrantedSecrets } from './podGrantedSecrets';
import { launchSecretsFromEnv } from './runner/launchSecretsFromEnv';

const secrets = {
  mcpServers: {
    vault: { VAULT_TOKEN: 'mcp-canary-1', Authorization: 'Bearer mcp-2' },
    tickets: { TICKETS_KEY: 'mcp-canary-3' },
  },
  environment: { password: 'skill-canary-4' },
  values: ['mcp-canary-1', 'Bearer mcp-2', 'mcp-canary-3', 'skill-canary-4'],
};

/** The runner's environment as the kubelet makes it from the pod's secretKeyRefs. */
function podEnv(pod: ReturnType<typeof podGrantedSecrets>) {
  return Object.fromEntries(
    pod.env.map(e => [e.name, pod.data[e.valueFrom!.secretKeyRef!.key]]),
  );
}

describe('granted values in a runner pod', () => {
  it('puts values only in the Secret data, names in the launch file, and the runner rebuilds them and drops the variables', () => {
    const pod = podGrantedSecrets(secrets, 'krate-a-1');
    const mapping = JSON.stringify(pod.granted);
    for (const value of secrets.values) {
      expect(mapping).not.toContain(value);
      expect(JSON.stringify(pod.env)).not.toContain(value);
    }
    expect(
      pod.env.every(e => e.valueFrom?.secretKeyRef?.name === 'krate-a-1'),
    ).toBe(true);

    const env: NodeJS.ProcessEnv = { ...podEnv(pod), PATH: '/bin' };
    const rebuilt = launchSecretsFromEnv(pod.granted, env)!;
    expect(rebuilt.mcpServers).toEqual(secrets.mcpServers);
    expect(rebuilt.environment).toEqual(secrets.environment);
    expect(rebuilt.values.sort()).toEqual([...secrets.values].sort());
    expect(env).toEqual({ PATH: '/bin' });

    // The runtime hands each MCP server exactly its own values, as on the host.
    const launch = {
      ...scriptedLaunch('/work', { steps: [] }),
      secrets: rebuilt,
    };
    expect(
      mcpServerSecrets(launch, {
        name: 'tickets',
        spec: { secretRefs: [{ name: 'tickets', key: 'TICKETS_KEY' }] },
      }),
    ).toEqual({ values: { TICKETS_KEY: 'mcp-canary-3' } });
  });

  it('gives a pod without granted values no Secret keys and no mapping', () => {
    expect(podGrantedSecrets(undefined, 'krate-a-1')).toEqual({
      data: {},
      env: [],
    });
    expect(
      launchSecretsFromEnv(undefined, { KRATE_GRANTED_0: 'x' }),
    ).toBeUndefined();
  });
});
