import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import path from 'node:path';
import {
  KubernetesDouble,
  runKubectl,
  startKubernetesDouble,
} from '../__testUtils__/kubernetes';
import { ClusterHealthCheck } from './ClusterHealthCheck';
import { readKubernetesModeConfig } from './KubernetesModeConfig';

const REPO = path.resolve(__dirname, '../../../..');
const BACKEND_RBAC = path.join(
  REPO,
  'deploy/kubernetes/agents-backend-rbac.yaml',
);
const BACKEND_USER = 'system:serviceaccount:krate:krate-agents-backend';
const BACKEND_GROUPS = [
  'system:serviceaccounts',
  'system:serviceaccounts:krate',
];

const mode = readKubernetesModeConfig(
  new ConfigReader({
    agents: {
      kubernetes: {
        kinds: ['AgentStack', 'AgentTriggerRule'],
        runnerPools: [
          {
            name: 'pods',
            kind: 'pod',
            namespace: 'krate-runners',
            image: 'krate/runner:1',
            workspaceVolume: { path: '/data', hostPath: '/data' },
          },
        ],
      },
    },
  }),
)!;

describe('ClusterHealthCheck', () => {
  let double: KubernetesDouble;

  afterEach(async () => {
    await double?.stop();
  });

  function checkAs(kubeConfig = double.kubeConfig()) {
    const logger = mockServices.logger.mock();
    return {
      logger,
      check: new ClusterHealthCheck({ kubeConfig, mode, logger, cacheMs: 0 }),
    };
  }

  it('says the API server does not answer, without throwing', async () => {
    double = await startKubernetesDouble();
    double.setUnavailable(true);
    const { check, logger } = checkAs();
    const health = await check.check();
    expect(health.status).toBe('unavailable');
    expect(health.message).toContain(`API server at ${double.url}`);
    expect(logger.warn).toHaveBeenCalledWith(health.message);
  });

  it('names the CRDs that are not installed', async () => {
    double = await startKubernetesDouble();
    const { check } = checkAs();
    const health = await check.check();
    expect(health.status).toBe('degraded');
    expect(health.missingCrds).toEqual([
      'agentstacks.agents.krate.dev',
      'agenttriggerrules.agents.krate.dev',
    ]);
    expect(health.message).toContain(
      'kubectl apply -f plugins/agents-common/crds/',
    );
  });

  it("names what the backend's identity may not do, until its RBAC is applied", async () => {
    double = await startKubernetesDouble({ installAgentsCrds: true });
    const backend = double.kubeConfigFor(BACKEND_USER, BACKEND_GROUPS);
    const before = await checkAs(backend.kubeConfig).check.check();
    expect(before.status).toBe('degraded');
    expect(before.missingCrds).toEqual([]);
    expect(before.message).toContain(
      "the backend's identity may not: get customresourcedefinitions",
    );
    expect(before.missingPermissions).toEqual(
      expect.arrayContaining([
        'get customresourcedefinitions.apiextensions.k8s.io',
        'watch agentstacks.agents.krate.dev',
        'update agenttriggerrules/status.agents.krate.dev',
        'create pods in namespace krate-runners',
        'get pods/log in namespace krate-runners',
        'create rolebindings.rbac.authorization.k8s.io',
      ]),
    );

    const applied = await runKubectl(double.kubeconfigPath, [
      'apply',
      '-f',
      BACKEND_RBAC,
    ]);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);

    const { check, logger } = checkAs(backend.kubeConfig);
    const after = await check.check();
    expect(after).toMatchObject({
      status: 'ok',
      missingCrds: [],
      missingPermissions: [],
    });
    expect(logger.info).toHaveBeenCalledWith(after.message);
  });

  it('reports an informer that has not synced as degraded', async () => {
    double = await startKubernetesDouble({ installAgentsCrds: true });
    const check = new ClusterHealthCheck({
      kubeConfig: double.kubeConfig(),
      mode,
      logger: mockServices.logger.mock(),
      informers: () => [
        {
          kind: 'AgentStack',
          synced: false,
          lastError: 'connect ECONNREFUSED',
        },
      ],
    });
    const health = await check.check();
    expect(health.status).toBe('degraded');
    expect(health.informers).toEqual([
      { kind: 'AgentStack', synced: false, lastError: 'connect ECONNREFUSED' },
    ]);
  });
});
