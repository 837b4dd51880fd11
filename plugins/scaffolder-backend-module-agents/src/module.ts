import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createAgentsApplyAction } from './actions/applyAction';
import { createAgentsDispatchAction } from './actions/dispatchAction';

/**
 * Adds `agents:apply` and `agents:dispatch` to the scaffolder.
 *
 * @public
 */
export const scaffolderModuleAgents = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'agents',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        config: coreServices.rootConfig,
      },
      async init({ scaffolder, discovery, auth, config }) {
        scaffolder.addActions(
          createAgentsApplyAction({ discovery, auth }),
          createAgentsDispatchAction({ discovery, auth, config }),
        );
      },
    });
  },
});
