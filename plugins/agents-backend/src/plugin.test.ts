import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { agentsPlugin } from './plugin';
import { testRuntimeModule } from './__testUtils__/testRuntimeModule';

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

    await startTestBackend({
      features: [agentsPlugin, testRuntimeModule, logger.factory],
    });

    expect(logger.info).toHaveBeenCalledWith(
      'Agents storage ready on sqlite; runtimes: scripted',
    );
  });
});
