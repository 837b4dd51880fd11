import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { agentsRuntimesExtensionPoint } from '@krate/plugin-agents-node';
import { readCliRuntimeSettings } from '../cliRuntimeSettings';
import { ClaudeCodeRuntime } from './ClaudeCodeRuntime';

/**
 * Adds the `claude-code` runtime to the agents backend when
 * `agents.runtimes.claudeCode.enabled` is true.
 * @public
 */
export const agentsModuleClaudeCodeRuntime = createBackendModule({
  pluginId: 'agents',
  moduleId: 'claude-code-runtime',
  register(env) {
    env.registerInit({
      deps: {
        runtimes: agentsRuntimesExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ runtimes, config, logger }) {
        const section = config.getOptionalConfig('agents.runtimes.claudeCode');
        if (!section?.getOptionalBoolean('enabled')) {
          return;
        }
        const settings = readCliRuntimeSettings(config, section, logger);
        runtimes.addRuntime(new ClaudeCodeRuntime({ ...settings, logger }));
      },
    });
  },
});
