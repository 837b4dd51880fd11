import {
  createBackendPlugin,
  coreServices,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  AgentRuntime,
  agentsRuntimesExtensionPoint,
} from '@krate/plugin-agents-node';
import { agentsModuleClaudeCodeRuntime } from './claudeCode/agentsModuleClaudeCodeRuntime';
import { agentsModuleCodexRuntime } from './codex/agentsModuleCodexRuntime';

/** Stands in for the agents plugin: it only collects what modules register. */
function collectingAgentsPlugin(registered: AgentRuntime[]) {
  return createBackendPlugin({
    pluginId: 'agents',
    register(env) {
      env.registerExtensionPoint(agentsRuntimesExtensionPoint, {
        addRuntime: runtime => registered.push(runtime),
      });
      env.registerInit({
        deps: { logger: coreServices.logger },
        async init() {},
      });
    },
  });
}

describe('CLI runtime modules', () => {
  it('register both runtimes when enabled', async () => {
    const registered: AgentRuntime[] = [];
    await startTestBackend({
      features: [
        collectingAgentsPlugin(registered),
        agentsModuleClaudeCodeRuntime,
        agentsModuleCodexRuntime,
        mockServices.rootConfig.factory({
          data: {
            agents: {
              runtimes: {
                cli: {
                  cacheDir: '/nonexistent/clis',
                  sessionsDir: '/nonexistent/sessions',
                },
                claudeCode: { enabled: true, apiKey: 'k1' },
                codex: { enabled: true, apiKey: 'k2', model: 'gpt-5.5' },
              },
            },
          },
        }),
      ],
    });

    expect(registered.map(r => r.id).sort()).toEqual(['claude-code', 'codex']);
    const claude = registered.find(r => r.id === 'claude-code')!;
    expect(claude.capabilities).toEqual({
      subagents: true,
      mcp: true,
      resume: true,
      approvals: 'enforced',
    });
    await expect(claude.checkAvailability!()).resolves.toEqual({
      available: false,
      reason: 'Claude Code CLI is not installed',
      hint: expect.stringContaining(
        'npm install --prefix /nonexistent/clis/claude-code-',
      ),
    });
    const codex = registered.find(r => r.id === 'codex')!;
    expect(codex.capabilities).toEqual({
      subagents: false,
      mcp: true,
      resume: true,
      approvals: 'enforced',
    });
  });

  it('register nothing unless enabled', async () => {
    const registered: AgentRuntime[] = [];
    await startTestBackend({
      features: [
        collectingAgentsPlugin(registered),
        agentsModuleClaudeCodeRuntime,
        agentsModuleCodexRuntime,
        mockServices.rootConfig.factory({
          data: { agents: { runtimes: { claudeCode: { enabled: false } } } },
        }),
      ],
    });
    expect(registered).toEqual([]);
  });
});
