import { ConflictError } from '@backstage/errors';
import {
  AGENTS_API_GROUP_VERSION,
  LINKED_WORK_ITEM_LABEL,
  WorkItemSessionLink,
} from '@krate/plugin-agents-common';
import { RUN_LABEL } from '../dispatch/names';
import { ResourceStore } from '../resources/ResourceStore';
import { linkName } from '../workspaces/WorkItemLinks';

/** Label naming the AgentSession of a WorkItemSessionLink. */
export const LINKED_SESSION_LABEL = 'agents.krate.dev/session';

export interface WorkItemSessionLinkRequest {
  namespace: string;
  workItem: string;
  /** The AgentSession record's name. */
  session: string;
  /** The run the session belongs to, so a list of links can point at it. */
  run: string;
  repository?: string;
  actor: string;
}

/**
 * Keeps the WorkItemSessionLinks between work items and the sessions of the runs started from
 * them: one link per pair, named after the pair, labelled with the work item, the session and
 * the run. Linking again is harmless.
 */
export class WorkItemSessionLinks {
  constructor(private readonly store: ResourceStore) {}

  async link(
    request: WorkItemSessionLinkRequest,
  ): Promise<WorkItemSessionLink> {
    const { namespace, workItem, session, run, repository, actor } = request;
    const name = linkName(workItem, session);
    const stored = await this.store.get('WorkItemSessionLink', namespace, name);
    if (stored) return stored as WorkItemSessionLink;
    try {
      return (await this.store.create(
        {
          apiVersion: AGENTS_API_GROUP_VERSION,
          kind: 'WorkItemSessionLink',
          metadata: {
            name,
            namespace,
            labels: {
              [LINKED_WORK_ITEM_LABEL]: workItem,
              [LINKED_SESSION_LABEL]: session,
              [RUN_LABEL]: run,
            },
          },
          spec: {
            workItem,
            session,
            ...(repository ? { repository } : {}),
          },
        },
        { actor },
      )) as WorkItemSessionLink;
    } catch (error) {
      // The same binding was reported twice at once: the first link stands.
      const again = await this.store.get(
        'WorkItemSessionLink',
        namespace,
        name,
      );
      if (error instanceof ConflictError && again) {
        return again as WorkItemSessionLink;
      }
      throw error;
    }
  }
}
