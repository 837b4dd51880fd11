import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { agentsPlugin } from '../../plugin';
import { testRuntimeModule } from '../../__testUtils__/testRuntimeModule';
import {
  KubernetesDouble,
  startKubernetesDouble,
} from '../../__testUtils__/kubernetes';

const ROUTE = '/api/agents/runner-pods/default/some-attempt/decision';

/**
 * The plugin in Kubernetes mode with a runner pool serves the decisions route to callers without
 * Backstage credentials (runner pods have none) and answers them with its own check only.
 */
describe('the runner decisions route in the plugin', () => {
  let double: KubernetesDouble;
  let folder: string;
  let backend: Awaited<ReturnType<typeof startTestBackend>> | undefined;

  beforeEach(async () => {
    double = await startKubernetesDouble({ installAgentsCrds: true });
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'krate-decisions-route-'));
    backend = await startTestBackend({
      features: [
        agentsPlugin,
        testRuntimeModule,
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.rootConfig.factory({
          data: {
            agents: {
              kubernetes: {
                cluster: { kubeconfig: double.kubeconfigPath },
                kinds: ['AgentStack'],
                rbacProjection: false,
                runnerPools: [
                  {
                    name: 'linux',
                    kind: 'pod',
                    namespace: 'default',
                    image: 'runner:test',
                    workspaceVolume: { path: folder, hostPath: folder },
                  },
                ],
              },
            },
          },
        }),
      ],
    });
  });

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
    await double.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('lets a caller without Backstage credentials reach it, and refuses one without the runner credential', async () => {
    // Other routes stay behind Backstage auth.
    const other = await request(backend!.server).get(
      '/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/default/agentstacks',
    );
    expect(other.status).toBe(401);
    expect(other.body.error?.message).not.toContain('runner credential');

    for (const authorization of [undefined, 'Bearer forged-credential']) {
      const answer = await request(backend!.server)
        .get(`${ROUTE}?interactionId=scripted-step-0`)
        .set(authorization ? { authorization } : {});
      expect(answer.status).toBe(401);
      expect(answer.body.error.message).toBe(
        'A runner credential for this attempt is required',
      );
    }
    // A Backstage user is no runner either.
    const user = await request(backend!.server)
      .get(`${ROUTE}?interactionId=scripted-step-0`)
      .set('authorization', mockCredentials.user.header());
    expect(user.status).toBe(401);
    expect(user.body.error.message).toBe(
      'A runner credential for this attempt is required',
    );
  });
});
