import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { agentsRuntimesExtensionPoint } from '@krate/plugin-agents-node';
import { AgentsDatabase } from './database/AgentsDatabase';
import { RuntimeRegistry } from './runtimes/RuntimeRegistry';
import { createRouter } from './service/router';
import { readPackageVersion } from './service/readPackageVersion';

/**
 * The agents backend plugin, mounted at `/api/agents`.
 * @public
 */
export const agentsPlugin = createBackendPlugin({
  pluginId: 'agents',
  register(env) {
    const runtimes = new RuntimeRegistry();
    env.registerExtensionPoint(agentsRuntimesExtensionPoint, runtimes);

    env.registerInit({
      deps: {
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
      },
      async init({ database, httpRouter, logger }) {
        const db = await AgentsDatabase.create({ database });
        logger.info(
          `Agents storage ready on ${db.dialect}; runtimes: ${
            runtimes
              .list()
              .map(r => r.id)
              .join(', ') || 'none'
          }`,
        );
        httpRouter.use(
          await createRouter({ database: db, version: readPackageVersion() }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
