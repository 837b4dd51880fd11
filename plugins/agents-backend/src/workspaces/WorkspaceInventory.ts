import { LoggerService } from '@backstage/backend-plugin-api';
import { AgentWorkspace } from '@krate/plugin-agents-common';
import { ResourceStore, StoredResource } from '../resources/ResourceStore';
import { GitCli } from './GitCli';
import { readWorkspaceGitState } from './WorkspaceGitState';
import { Status } from './workspaceStatus';

/** The actor the inventory writes status as. */
export const INVENTORY_ACTOR = 'service:agents-workspace-inventory';

const CONCURRENCY = 4;

export interface WorkspaceInventoryOptions {
  store: ResourceStore;
  logger: LoggerService;
  git?: GitCli;
}

export interface InventoryResult {
  checked: number;
  updated: number;
  missing: number;
}

/**
 * Refreshes the git state of every workspace with a path. A path that is gone marks the
 * workspace `missing` and never deletes the record; a path that is back makes it `active`.
 * Archived workspaces stay archived. Writes carry the version that was read, so a concurrent
 * action wins and the workspace is looked at again next time.
 */
export class WorkspaceInventory {
  readonly #store: ResourceStore;
  readonly #logger: LoggerService;
  readonly #git: GitCli;

  constructor(options: WorkspaceInventoryOptions) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#git = options.git ?? new GitCli();
  }

  async refreshAll(): Promise<InventoryResult> {
    const result: InventoryResult = { checked: 0, updated: 0, missing: 0 };
    let continueToken: string | undefined;
    do {
      const page = await this.#store.list('AgentWorkspace', {
        limit: 200,
        continueToken,
      });
      const queue = (page.items as AgentWorkspace[]).filter(w => w.spec.path);
      // git status is the cost; a few at a time keeps both cores busy without flooding the disk.
      const worker = async () => {
        for (
          let workspace = queue.shift();
          workspace;
          workspace = queue.shift()
        ) {
          await this.#refresh(workspace, result);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      continueToken = page.continueToken;
    } while (continueToken);
    return result;
  }

  async #refresh(workspace: AgentWorkspace, result: InventoryResult) {
    result.checked++;
    try {
      const next = await this.#observe(workspace, workspace.spec.path!);
      if (next.pathMissing) {
        result.missing++;
      }
      const written = await this.#store.updateStatus(
        { ...workspace, status: next } as StoredResource,
        { actor: INVENTORY_ACTOR },
      );
      if (
        written.metadata.resourceVersion !== workspace.metadata.resourceVersion
      ) {
        result.updated++;
      }
    } catch (error) {
      this.#logger.warn(
        `Workspace inventory skipped AgentWorkspace ${workspace.metadata.namespace}/${workspace.metadata.name}: ${error}`,
      );
    }
  }

  async #observe(workspace: AgentWorkspace, path: string): Promise<Status> {
    const observed = await readWorkspaceGitState(this.#git, path);
    const { git: _git, editorUrl, ...kept } = workspace.status ?? {};
    let state = workspace.status?.state ?? 'active';
    if (observed.pathMissing && state !== 'archived') {
      state = 'missing';
    } else if (!observed.pathMissing && state === 'missing') {
      state = 'active';
    }
    return {
      ...kept,
      state,
      pathMissing: observed.pathMissing,
      ...(observed.git ? { git: observed.git } : {}),
      ...(editorUrl && !observed.pathMissing ? { editorUrl } : {}),
    };
  }
}
