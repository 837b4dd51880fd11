import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  AgentRuntime,
  agentsRuntimesExtensionPoint,
} from '@krate/plugin-agents-node';

/** A runtime as a module would declare it, for tests of the registry and its routes. */
export const testRuntime: AgentRuntime = {
  id: 'scripted',
  displayName: 'Scripted',
  capabilities: {
    subagents: true,
    mcp: false,
    resume: true,
    approvals: 'enforced',
  },
  run: async () => {
    throw new Error('this test never runs an attempt');
  },
};

/** A backend module that registers `testRuntime` through the extension point. */
export const testRuntimeModule = createBackendModule({
  pluginId: 'agents',
  moduleId: 'test-runtime',
  register(env) {
    env.registerInit({
      deps: { runtimes: agentsRuntimesExtensionPoint },
      async init({ runtimes }) {
        runtimes.addRuntime(testRuntime);
      },
    });
  },
});
