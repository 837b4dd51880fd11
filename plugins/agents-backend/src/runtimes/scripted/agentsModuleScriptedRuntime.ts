import { createBackendModule } from '@backstage/backend-plugin-api';
import { agentsRuntimesExtensionPoint } from '@krate/plugin-agents-node';
import { ScriptedRuntime } from './ScriptedRuntime';

/**
 * Registers the built-in scripted runtime (`scripted`) with the agents backend.
 * @public
 */
export const agentsModuleScriptedRuntime = createBackendModule({
  pluginId: 'agents',
  moduleId: 'scripted-runtime',
  register(env) {
    env.registerInit({
      deps: { runtimes: agentsRuntimesExtensionPoint },
      async init({ runtimes }) {
        runtimes.addRuntime(new ScriptedRuntime());
      },
    });
  },
});
