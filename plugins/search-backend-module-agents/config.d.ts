import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  search?: {
    collators?: {
      /** The agents collator. */
      agents?: {
        /** How often agents resources and memory records are re-indexed; every 10 minutes by default. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /** The runs collator, which indexes the latest-written runs incrementally. */
        runs?: {
          /** How many runs the index keeps, the latest written; 10000 by default. */
          maxDocuments?: number;
          /** How often changed runs are indexed; every minute by default. */
          schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        };
        /** The approvals collator, incremental like the runs collator. */
        approvals?: {
          /** How many approvals the index keeps, the latest written; 10000 by default. */
          maxDocuments?: number;
          /** How often changed approvals are indexed; every minute by default. */
          schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        };
      };
    };
  };
}
