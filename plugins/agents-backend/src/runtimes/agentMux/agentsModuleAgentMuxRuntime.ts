import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { agentsRuntimesExtensionPoint } from '@krate/plugin-agents-node';
import { AgentMuxRuntime } from './AgentMuxRuntime';

/**
 * Registers the `agent-mux` runtime when `agents.runtimes.agentMux.url` is configured.
 * @public
 */
export const agentsModuleAgentMuxRuntime = createBackendModule({
  pluginId: 'agents',
  moduleId: 'agent-mux-runtime',
  register(env) {
    env.registerInit({
      deps: {
        runtimes: agentsRuntimesExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ runtimes, config, logger }) {
        const url = config.getOptionalString('agents.runtimes.agentMux.url');
        if (!url) {
          logger.info(
            'agents.runtimes.agentMux.url is not set; the agent-mux runtime is not registered',
          );
          return;
        }
        const runtime = new AgentMuxRuntime({
          url,
          token: config.getString('agents.runtimes.agentMux.token'),
          agent: config.getOptionalString('agents.runtimes.agentMux.agent'),
          inactivitySeconds: config.getOptionalNumber(
            'agents.runtimes.agentMux.inactivitySeconds',
          ),
          logger,
        });
        runtimes.addRuntime(runtime);
        logger.info(
          `Registered the agent-mux runtime for the gateway at ${url}`,
        );
      },
    });
  },
});
