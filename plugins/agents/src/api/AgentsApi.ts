import { createApiRef } from '@backstage/core-plugin-api';
import { AgentsHealth } from '@krate/plugin-agents-common';
import { AgentsResource, ApplyResponse, ResourceList } from './types';

/** Client of the agents backend at `/api/agents`. @public */
export interface AgentsApi {
  getHealth(): Promise<AgentsHealth>;
  /** Lists a kind by its plural, e.g. `agentstacks`, in one org or all. */
  listResources(
    plural: string,
    options?: { namespace?: string; limit?: number; continue?: string },
  ): Promise<ResourceList>;
  /** `POST /apply`: what `kubectl apply -f` does; forms submit through this too. */
  apply(
    documents: AgentsResource[],
    options?: { dryRun?: boolean },
  ): Promise<ApplyResponse>;
}

/** @public */
export const agentsApiRef = createApiRef<AgentsApi>({ id: 'plugin.agents' });
