import {
  coreServices,
  createBackendModule,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { AgentsCollatorFactory } from './collators/AgentsCollatorFactory';
import { AgentsMemoryCollatorFactory } from './collators/AgentsMemoryCollatorFactory';

const defaultSchedule = {
  frequency: { minutes: 10 },
  timeout: { minutes: 15 },
  initialDelay: { seconds: 15 },
};

/**
 * Indexes agents resources and the orgs' company-brain memory records for Backstage search.
 * @public
 */
export const searchModuleAgentsCollator = createBackendModule({
  pluginId: 'search',
  moduleId: 'agents-collator',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        indexRegistry: searchIndexRegistryExtensionPoint,
      },
      async init({
        config,
        discovery,
        auth,
        logger,
        scheduler,
        indexRegistry,
      }) {
        const schedule = config.has('search.collators.agents.schedule')
          ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
              config.getConfig('search.collators.agents.schedule'),
            )
          : defaultSchedule;
        indexRegistry.addCollator({
          schedule: scheduler.createScheduledTaskRunner(schedule),
          factory: AgentsCollatorFactory.fromOptions({
            discovery,
            auth,
            logger,
          }),
        });
        indexRegistry.addCollator({
          schedule: scheduler.createScheduledTaskRunner(schedule),
          factory: AgentsMemoryCollatorFactory.fromOptions({
            discovery,
            auth,
            logger,
          }),
        });
      },
    });
  },
});
