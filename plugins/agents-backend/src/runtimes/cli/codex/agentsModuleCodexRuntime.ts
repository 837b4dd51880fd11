import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { agentsRuntimesExtensionPoint } from '@krate/plugin-agents-node';
import { readCliRuntimeSettings } from '../cliRuntimeSettings';
import { CodexRuntime } from './CodexRuntime';

/**
 * Adds the `codex` runtime to the agents backend when `agents.runtimes.codex.enabled` is true.
 * @public
 */
export const agentsModuleCodexRuntime = createBackendModule({
  pluginId: 'agents',
  moduleId: 'codex-runtime',
  register(env) {
    env.registerInit({
      deps: {
        runtimes: agentsRuntimesExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ runtimes, config, logger }) {
        const section = config.getOptionalConfig('agents.runtimes.codex');
        if (!section?.getOptionalBoolean('enabled')) {
          return;
        }
        const settings = readCliRuntimeSettings(config, section, logger);
        runtimes.addRuntime(
          new CodexRuntime({
            ...settings,
            model: section.getOptionalString('model'),
            logger,
          }),
        );
      },
    });
  },
});
