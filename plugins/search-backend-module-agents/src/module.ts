import {
  coreServices,
  createBackendModule,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { AgentsCollatorFactory } from './collators/AgentsCollatorFactory';
import { AgentsMemoryCollatorFactory } from './collators/AgentsMemoryCollatorFactory';
import { AgentsRunCollatorFactory } from './collators/AgentsRunCollatorFactory';
import { AgentsApprovalCollatorFactory } from './collators/AgentsApprovalCollatorFactory';

const defaultSchedule = {
  frequency: { minutes: 10 },
  timeout: { minutes: 15 },
  initialDelay: { seconds: 15 },
};

/**
 * Runs and approvals change all the time and a pass reads only what changed, so they are indexed
 * every minute rather than with the configuration kinds.
 */
const changesSchedule = {
  frequency: { minutes: 1 },
  timeout: { minutes: 5 },
  initialDelay: { seconds: 15 },
};

function maxDocumentsOf(config: RootConfigService, collator: string) {
  const key = `search.collators.agents.${collator}.maxDocuments`;
  const value = config.getOptionalNumber(key);
  if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
    throw new Error(`${key}: must be a positive integer`);
  }
  return value;
}

/**
 * Indexes agents resources, the orgs' company-brain memory records, and (incrementally, the latest
 * of each) dispatch runs and approvals for Backstage search.
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
        const scheduleAt = (key: string, fallback: typeof defaultSchedule) =>
          config.has(key)
            ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
                config.getConfig(key),
              )
            : fallback;
        const schedule = scheduleAt(
          'search.collators.agents.schedule',
          defaultSchedule,
        );
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
        indexRegistry.addCollator({
          schedule: scheduler.createScheduledTaskRunner(
            scheduleAt(
              'search.collators.agents.runs.schedule',
              changesSchedule,
            ),
          ),
          factory: AgentsRunCollatorFactory.fromOptions({
            discovery,
            auth,
            logger,
            maxDocuments: maxDocumentsOf(config, 'runs'),
          }),
        });
        indexRegistry.addCollator({
          schedule: scheduler.createScheduledTaskRunner(
            scheduleAt(
              'search.collators.agents.approvals.schedule',
              changesSchedule,
            ),
          ),
          factory: AgentsApprovalCollatorFactory.fromOptions({
            discovery,
            auth,
            logger,
            maxDocuments: maxDocumentsOf(config, 'approvals'),
          }),
        });
      },
    });
  },
});
