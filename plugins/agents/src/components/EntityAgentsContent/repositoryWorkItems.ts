import {
  AgentDispatchRun,
  LINKED_WORK_ITEM_LABEL,
  WorkItem,
  WorkItemSessionLink,
  WorkItemWorkspaceLink,
} from '@krate/plugin-agents-common';
import { AgentsApi } from '../../api';

/** A work item of the repository with the runs started from it and what they worked in. */
export interface RepositoryWorkItem {
  item: WorkItem;
  /** Latest first. */
  runs: AgentDispatchRun[];
  workspaces: WorkItemWorkspaceLink[];
  sessions: WorkItemSessionLink[];
}

/** How many work items, and runs of them, the tab reads. */
const LIMIT = 100;
const RUN_LIMIT = 500;

const newestFirst = (a: AgentDispatchRun, b: AgentDispatchRun) =>
  (b.metadata.creationTimestamp ?? '').localeCompare(
    a.metadata.creationTimestamp ?? '',
  );

/** Open ones first, then the newest (highest number). */
const byStateAndNumber = (a: WorkItem, b: WorkItem) =>
  Number(a.spec.state !== 'open') - Number(b.spec.state !== 'open') ||
  b.spec.number - a.spec.number;

function byWorkItem<T>(objects: T[], workItemOf: (object: T) => string) {
  const grouped = new Map<string, T[]>();
  for (const object of objects) {
    const key = workItemOf(object);
    grouped.set(key, [...(grouped.get(key) ?? []), object]);
  }
  return grouped;
}

/**
 * The repository's work items with their runs, workspace links and session links: four reads of
 * the generic list route, each filtered by the repository index of its kind.
 */
export async function loadRepositoryWorkItems(
  agentsApi: AgentsApi,
  namespace: string,
  repository: string,
): Promise<{ items: RepositoryWorkItem[] }> {
  const scope = { namespace, repository };
  const [items, runs, workspaces, sessions] = await Promise.all([
    agentsApi.listResources('workitems', { ...scope, limit: LIMIT }),
    agentsApi.listResources('agentdispatchruns', {
      ...scope,
      labelSelector: LINKED_WORK_ITEM_LABEL,
      limit: RUN_LIMIT,
    }),
    agentsApi.listResources('workitemworkspacelinks', {
      ...scope,
      limit: RUN_LIMIT,
    }),
    agentsApi.listResources('workitemsessionlinks', {
      ...scope,
      limit: RUN_LIMIT,
    }),
  ]);
  const runsOf = byWorkItem(
    runs.items as unknown as AgentDispatchRun[],
    run => run.metadata.labels?.[LINKED_WORK_ITEM_LABEL] ?? '',
  );
  const workspacesOf = byWorkItem(
    workspaces.items as unknown as WorkItemWorkspaceLink[],
    link => link.spec.workItem,
  );
  const sessionsOf = byWorkItem(
    sessions.items as unknown as WorkItemSessionLink[],
    link => link.spec.workItem,
  );
  return {
    items: (items.items as unknown as WorkItem[])
      .sort(byStateAndNumber)
      .map(item => {
        const { name } = item.metadata;
        return {
          item,
          runs: (runsOf.get(name) ?? []).sort(newestFirst),
          workspaces: workspacesOf.get(name) ?? [],
          sessions: sessionsOf.get(name) ?? [],
        };
      }),
  };
}
