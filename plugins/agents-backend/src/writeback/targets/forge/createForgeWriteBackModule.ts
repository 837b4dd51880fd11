import {
  coreServices,
  createBackendModule,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  AgentWriteBackTarget,
  agentsWriteBackExtensionPoint,
} from '@krate/plugin-agents-node';

/**
 * A backend module that adds the write-back target `fromConfig` makes out of the root config (its
 * `integrations` section) to the agents backend.
 */
export function createForgeWriteBackModule(options: {
  moduleId: string;
  fromConfig: (
    config: Config,
    options: { logger: LoggerService },
  ) => AgentWriteBackTarget;
}) {
  return createBackendModule({
    pluginId: 'agents',
    moduleId: options.moduleId,
    register(env) {
      env.registerInit({
        deps: {
          writeBack: agentsWriteBackExtensionPoint,
          config: coreServices.rootConfig,
          logger: coreServices.logger,
        },
        async init({ writeBack, config, logger }) {
          writeBack.addTarget(options.fromConfig(config, { logger }));
        },
      });
    },
  });
}
