import { startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { agentsPlugin } from '../../plugin';
import { agentsModuleScriptedRuntime } from './agentsModuleScriptedRuntime';

describe('agentsModuleScriptedRuntime', () => {
  it('registers the scripted runtime with the agents backend', async () => {
    const { server } = await startTestBackend({
      features: [agentsPlugin, agentsModuleScriptedRuntime],
    });
    const response = await request(server).get('/api/agents/capabilities');
    expect(response.status).toBe(200);
    expect(response.body.items).toEqual([
      {
        id: 'scripted',
        displayName: 'Scripted agent',
        capabilities: {
          subagents: true,
          mcp: false,
          resume: true,
          approvals: 'enforced',
          reattach: true,
          startsOverWhenUnbound: true,
        },
      },
    ]);
  });
});
