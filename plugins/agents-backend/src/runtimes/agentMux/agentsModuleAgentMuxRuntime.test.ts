import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  AgentRuntime,
  agentsRuntimesExtensionPoint,
} from '@krate/plugin-agents-node';
import { agentsModuleAgentMuxRuntime } from './agentsModuleAgentMuxRuntime';
import { AgentMuxTestGateway } from '../../__testUtils__/agentMux';

function agentsPluginRecording(added: AgentRuntime[]) {
  return createBackendPlugin({
    pluginId: 'agents',
    register(env) {
      env.registerExtensionPoint(agentsRuntimesExtensionPoint, {
        addRuntime: runtime => added.push(runtime),
      });
      env.registerInit({ deps: {}, async init() {} });
    },
  });
}

describe('agentsModuleAgentMuxRuntime', () => {
  it('registers the runtime for the configured gateway', async () => {
    const gateway = await AgentMuxTestGateway.start();
    const added: AgentRuntime[] = [];
    const backend = await startTestBackend({
      features: [
        agentsPluginRecording(added),
        agentsModuleAgentMuxRuntime,
        mockServices.rootConfig.factory({
          data: {
            agents: {
              runtimes: {
                agentMux: {
                  url: gateway.url,
                  token: gateway.token,
                  agent: 'claude-agent-sdk',
                },
              },
            },
          },
        }),
      ],
    });
    try {
      expect(added.map(r => [r.id, r.displayName, r.capabilities])).toEqual([
        [
          'agent-mux',
          'Agent Mux',
          {
            subagents: true,
            mcp: true,
            resume: true,
            approvals: 'advisory',
            reattach: true,
          },
        ],
      ]);
      await expect(added[0].checkAvailability!()).resolves.toEqual({
        available: true,
        detail: expect.stringContaining('Claude (Agent SDK)'),
      });
    } finally {
      await backend.stop();
      await gateway.close();
    }
  });

  it('registers nothing without a gateway url', async () => {
    const added: AgentRuntime[] = [];
    const backend = await startTestBackend({
      features: [
        agentsPluginRecording(added),
        agentsModuleAgentMuxRuntime,
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    await backend.stop();
    expect(added).toEqual([]);
  });
});
