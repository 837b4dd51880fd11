import { mockServices } from '@backstage/backend-test-utils';
import { KubeConfig, CoreV1Api } from '@kubernetes/client-node';
import express from 'express';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { ApprovalService } from '../../../approvals/ApprovalService';
import { ResourceStore } from '../../../resources/ResourceStore';
import { errorResponses } from '../../../service/errorResponses';
import { RunnerCredentials } from '../RunnerCredentials';
import { createRunnerDecisionRoutes } from '../runnerDecisionRoutes';

/**
 * The backend's decisions route for runner pods, served over real HTTP at `/api/agents` as the
 * plugin serves it; `stop()` and `start(port)` again play a backend that goes down and comes back.
 */
export async function startDecisionsServer(options: {
  kubeConfig: KubeConfig;
  store: ResourceStore;
  port?: number;
}) {
  const app = express()
    .use(
      '/api/agents',
      createRunnerDecisionRoutes({
        approvals: new ApprovalService({
          store: options.store,
          expireAfterMs: 60 * 60_000,
        }),
        credentials: new RunnerCredentials({
          core: options.kubeConfig.makeApiClient(CoreV1Api),
          store: options.store,
        }),
      }),
    )
    .use(errorResponses(mockServices.logger.mock()));
  const server: Server = await new Promise(resolve => {
    const listening = app.listen(options.port ?? 0, '127.0.0.1', () =>
      resolve(listening),
    );
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
