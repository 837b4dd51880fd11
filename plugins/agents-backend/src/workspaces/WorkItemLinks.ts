import { ConflictError } from '@backstage/errors';
import {
  AGENTS_API_GROUP_VERSION,
  LINKED_WORK_ITEM_LABEL,
  LINKED_WORKSPACE_LABEL,
  WorkItemWorkspaceLink,
} from '@krate/plugin-agents-common';
import { createHash } from 'node:crypto';
import { patchStatus } from '../dispatch/patchStatus';
import { ResourceStore, StoredResource } from '../resources/ResourceStore';

/** How many work items `status.workItems` of a workspace keeps. */
export const WORK_ITEM_HISTORY = 50;

type Relation = WorkItemWorkspaceLink['spec']['relation'];

export interface WorkItemLinkRequest {
  namespace: string;
  workItem: string;
  workspace: string;
  /** `owns`: the workspace was made for the work item; `references`: it works in one it found. */
  relation: Relation;
  repository?: string;
  actor: string;
}

/**
 * Keeps the WorkItemWorkspaceLinks between work items and the workspaces their runs work in:
 * one link per pair, labelled with both names so either side lists it, and the work item on the
 * workspace's `status.workItems`. Linking again is harmless; `owns` is never downgraded.
 */
export class WorkItemLinks {
  constructor(private readonly store: ResourceStore) {}

  async link(request: WorkItemLinkRequest): Promise<WorkItemWorkspaceLink> {
    const link = await this.#upsert(request);
    await patchStatus(
      this.store,
      {
        kind: 'AgentWorkspace',
        namespace: request.namespace,
        name: request.workspace,
      },
      status => ({
        ...status,
        workItems: withWorkItem(status.workItems, request.workItem),
      }),
      request.actor,
    );
    return link;
  }

  async #upsert(request: WorkItemLinkRequest): Promise<WorkItemWorkspaceLink> {
    const { namespace, workItem, workspace, actor } = request;
    const name = linkName(workItem, workspace);
    for (let tries = 1; ; tries++) {
      const stored = (await this.store.get(
        'WorkItemWorkspaceLink',
        namespace,
        name,
      )) as WorkItemWorkspaceLink | undefined;
      try {
        if (!stored) {
          return (await this.store.create(desired(name, request), {
            actor,
          })) as WorkItemWorkspaceLink;
        }
        if (stored.spec.relation === 'owns' || request.relation !== 'owns') {
          return stored;
        }
        return (await this.store.update(
          { ...stored, spec: { ...stored.spec, relation: 'owns' } },
          { actor },
        )) as WorkItemWorkspaceLink;
      } catch (error) {
        // Another dispatch linked the same pair meanwhile: look again.
        if (!(error instanceof ConflictError) || tries >= 5) {
          throw error;
        }
      }
    }
  }
}

/** `<work item>-<workspace>-<hash>`: one name per pair, a DNS label whatever the names' lengths. */
export function linkName(workItem: string, workspace: string): string {
  const hash = createHash('sha256')
    .update(`${workItem}/${workspace}`)
    .digest('hex')
    .slice(0, 10);
  const short = (value: string) => value.slice(0, 24).replace(/-+$/, '');
  return `${short(workItem)}-${short(workspace)}-${hash}`;
}

/** The work items with `workItem` appended (once), the newest WORK_ITEM_HISTORY kept. */
export function withWorkItem(
  workItems: string[] | undefined,
  workItem: string,
): string[] {
  if (workItems?.includes(workItem)) {
    return workItems;
  }
  return [...(workItems ?? []), workItem].slice(-WORK_ITEM_HISTORY);
}

function desired(name: string, request: WorkItemLinkRequest): StoredResource {
  const { namespace, workItem, workspace, relation, repository } = request;
  return {
    apiVersion: AGENTS_API_GROUP_VERSION,
    kind: 'WorkItemWorkspaceLink',
    metadata: {
      name,
      namespace,
      labels: {
        [LINKED_WORKSPACE_LABEL]: workspace,
        [LINKED_WORK_ITEM_LABEL]: workItem,
      },
    },
    spec: {
      workItem,
      workspace,
      relation,
      ...(repository ? { repository } : {}),
    },
  };
}
