import {
  createBackendModule,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import { AgentRuntime, agentsRuntimesExtensionPoint } from './runtimes';

describe('agentsRuntimesExtensionPoint', () => {
  it('carries runtimes from a module to the agents plugin', async () => {
    const received: AgentRuntime[] = [];
    const agentsPlugin = createBackendPlugin({
      pluginId: 'agents',
      register(env) {
        env.registerExtensionPoint(agentsRuntimesExtensionPoint, {
          addRuntime: runtime => received.push(runtime),
        });
        env.registerInit({ deps: {}, async init() {} });
      },
    });
    const codex: AgentRuntime = {
      id: 'codex',
      displayName: 'Codex CLI',
      capabilities: {
        subagents: false,
        mcp: true,
        resume: true,
        approvals: 'none',
      },
      run: async () => {
        throw new Error('this test never runs an attempt');
      },
    };
    const codexModule = createBackendModule({
      pluginId: 'agents',
      moduleId: 'codex',
      register(env) {
        env.registerInit({
          deps: { runtimes: agentsRuntimesExtensionPoint },
          async init({ runtimes }) {
            runtimes.addRuntime(codex);
          },
        });
      },
    });

    await startTestBackend({ features: [agentsPlugin, codexModule] });

    expect(received).toEqual([codex]);
  });

  it('is not available to modules of other plugins', async () => {
    const strayModule = createBackendModule({
      pluginId: 'catalog',
      moduleId: 'stray-runtime',
      register(env) {
        env.registerInit({
          deps: { runtimes: agentsRuntimesExtensionPoint },
          async init() {},
        });
      },
    });
    const catalog = createBackendPlugin({
      pluginId: 'catalog',
      register(env) {
        env.registerInit({ deps: {}, async init() {} });
      },
    });

    await expect(
      startTestBackend({ features: [catalog, strayModule] }),
    ).rejects.toThrow(/agents\.runtimes/);
  });
});
