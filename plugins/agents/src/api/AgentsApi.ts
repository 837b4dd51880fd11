import { createApiRef } from '@backstage/core-plugin-api';
import { AgentsHealth } from '@krate/plugin-agents-common';

/** Client of the agents backend at `/api/agents`. @public */
export interface AgentsApi {
  getHealth(): Promise<AgentsHealth>;
}

/** @public */
export const agentsApiRef = createApiRef<AgentsApi>({ id: 'plugin.agents' });
