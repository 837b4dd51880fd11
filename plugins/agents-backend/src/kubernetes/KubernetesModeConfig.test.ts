import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/config';
import { readKubernetesModeConfig } from './KubernetesModeConfig';

const pool = {
  name: 'pods',
  kind: 'pod',
  namespace: 'krate-runners',
  image: 'krate/runner:1',
  workspaceVolume: { path: '/var/lib/krate', persistentVolumeClaim: 'krate' },
};

function read(agentsKubernetes: JsonObject, root: JsonObject = {}) {
  return readKubernetesModeConfig(
    new ConfigReader({ ...root, agents: { kubernetes: agentsKubernetes } }),
  );
}

describe('readKubernetesModeConfig', () => {
  it('is embedded mode without the block or with enabled: false', () => {
    expect(readKubernetesModeConfig(new ConfigReader({}))).toBeUndefined();
    expect(read({ enabled: false })).toBeUndefined();
  });

  it('defaults to every configuration kind, the kubeconfig and RBAC projection', () => {
    const mode = read({})!;
    expect(mode.cluster).toEqual({
      type: 'kubeconfig',
      path: undefined,
      context: undefined,
    });
    expect(mode.clusterKinds).toContain('AgentStack');
    expect(mode.clusterKinds).toContain('AgentSecretGrant');
    expect(mode.clusterKinds).not.toContain('AgentDispatchRun');
    expect(mode.rbacProjection).toBe(true);
    expect(mode.runnerPools).toEqual([]);
  });

  it('takes a cluster from the Backstage Kubernetes plugin config', () => {
    const mode = read(
      { cluster: { name: 'prod' } },
      {
        kubernetes: {
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [
                {
                  name: 'prod',
                  url: 'https://10.0.0.1:6443',
                  authProvider: 'serviceAccount',
                  serviceAccountToken: 'token',
                  skipTLSVerify: true,
                },
              ],
            },
          ],
        },
      },
    )!;
    expect(mode.cluster).toEqual({
      type: 'backstage',
      name: 'prod',
      url: 'https://10.0.0.1:6443',
      serviceAccountToken: 'token',
      caData: undefined,
      caFile: undefined,
      skipTLSVerify: true,
    });
  });

  it('names what is wrong', () => {
    expect(() => read({ cluster: { name: 'nope' } })).toThrow(
      /agents.kubernetes.cluster.name: no cluster named 'nope'/,
    );
    expect(() => read({ kinds: ['AgentDispatchRun'] })).toThrow(
      /agents.kubernetes.kinds: 'AgentDispatchRun' is not a configuration kind/,
    );
    expect(() =>
      read({ namespaces: { acme: 'shared', beta: 'shared' } }),
    ).toThrow(/orgs 'acme' and 'beta' both map to namespace 'shared'/);
    expect(() => read({ runnerPools: [{ ...pool, kind: 'job' }] })).toThrow(
      /the only kind is 'pod'/,
    );
    expect(() =>
      read({
        runnerPools: [{ ...pool, workspaceVolume: { path: '/var/lib/krate' } }],
      }),
    ).toThrow(/exactly one of workspaceVolume.persistentVolumeClaim/);
  });

  it('maps orgs to namespaces both ways and reads pools', () => {
    const mode = read({
      namespaces: { acme: 'team-acme' },
      runnerPools: [pool],
    })!;
    expect(mode.namespaces.toCluster('acme')).toBe('team-acme');
    expect(mode.namespaces.fromCluster('team-acme')).toBe('acme');
    expect(mode.namespaces.toCluster('other')).toBe('other');
    expect(mode.runnerPools[0]).toMatchObject({
      name: 'pods',
      command: ['krate-agent-runner'],
      terminationGracePeriodSeconds: 10,
      imagePullSecrets: [],
    });
  });

  it("gives pods the backend's own base URL unless the pool names one", () => {
    const root = { backend: { baseUrl: 'http://backstage.example:7007' } };
    expect(read({ runnerPools: [pool] }, root)!.runnerPools[0].backendUrl).toBe(
      'http://backstage.example:7007',
    );
    expect(
      read(
        {
          runnerPools: [
            { ...pool, backendUrl: 'http://krate-backend.krate:7007' },
          ],
        },
        root,
      )!.runnerPools[0].backendUrl,
    ).toBe('http://krate-backend.krate:7007');
  });
});
