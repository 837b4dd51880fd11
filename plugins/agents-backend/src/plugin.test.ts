import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { agentsRuntimesExtensionPoint } from '@krate/plugin-agents-node';
import request from 'supertest';
import { agentsPlugin } from './plugin';

const { version } = require('../package.json');

describe('agentsPlugin', () => {
  it('answers GET /api/agents/health without credentials, with version and dialect', async () => {
    const { server } = await startTestBackend({ features: [agentsPlugin] });

    const response = await request(server).get('/api/agents/health');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'ok',
      version,
      storage: { dialect: 'sqlite' },
    });
  });

  it('logs the runtimes that modules registered', async () => {
    const logger = mockServices.logger.mock();
    const runtimeModule = createBackendModule({
      pluginId: 'agents',
      moduleId: 'test-runtime',
      register(env) {
        env.registerInit({
          deps: { runtimes: agentsRuntimesExtensionPoint },
          async init({ runtimes }) {
            runtimes.addRuntime({
              id: 'scripted',
              displayName: 'Scripted',
              capabilities: {
                subagents: true,
                mcp: false,
                resume: true,
                approvals: 'enforced',
              },
            });
          },
        });
      },
    });

    await startTestBackend({
      features: [agentsPlugin, runtimeModule, logger.factory],
    });

    expect(logger.info).toHaveBeenCalledWith(
      'Agents storage ready on sqlite; runtimes: scripted',
    );
  });
});
