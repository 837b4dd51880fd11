import { LoggerService } from '@backstage/backend-plugin-api';
import { AgentWorkspace } from '@krate/plugin-agents-common';
import { ResourceStore, StoredResource } from '../resources/ResourceStore';
import { GitCli } from './GitCli';
import { readWorkspaceGitState, WorkspaceGitState } from './WorkspaceGitState';
import {
  withRun,
  workspaceKey,
  WorkspaceOccupancy,
  WorkspaceRuns,
} from './WorkspaceRuns';
import { Status } from './workspaceStatus';
import { SurfaceProbe } from './SurfaceProbe';

/** The actor the inventory writes status as. */
export const INVENTORY_ACTOR = 'service:agents-workspace-inventory';

const CONCURRENCY = 4;

export interface WorkspaceInventoryOptions {
  store: ResourceStore;
  logger: LoggerService;
  git?: GitCli;
  now?: () => Date;
  /** Checks the runtime surfaces of every workspace; default a 2 second HTTP GET each. */
  surfaceProbe?: SurfaceProbe;
}

export interface InventoryResult {
  checked: number;
  updated: number;
  missing: number;
}

/**
 * Refreshes the git state of every workspace with a path, the runs and sessions working in
 * every workspace, and the health of its runtime surfaces. A path that is gone marks the workspace `missing` and never deletes the
 * record; a path that is back makes it `active`. Archived workspaces stay archived. A workspace
 * with an action in progress is left to that action. Writes carry the version that was read, so
 * a concurrent action wins and the workspace is looked at again next time.
 */
export class WorkspaceInventory {
  readonly #store: ResourceStore;
  readonly #logger: LoggerService;
  readonly #git: GitCli;
  readonly #now: () => Date;
  readonly #runs: WorkspaceRuns;
  readonly #probe: SurfaceProbe;

  constructor(options: WorkspaceInventoryOptions) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#git = options.git ?? new GitCli();
    this.#now = options.now ?? (() => new Date());
    this.#runs = new WorkspaceRuns(this.#store, this.#now);
    this.#probe = options.surfaceProbe ?? new SurfaceProbe();
  }

  async refreshAll(): Promise<InventoryResult> {
    const result: InventoryResult = { checked: 0, updated: 0, missing: 0 };
    const occupancy = await this.#runs.occupancy();
    let continueToken: string | undefined;
    do {
      const page = await this.#store.list('AgentWorkspace', {
        limit: 200,
        continueToken,
      });
      const queue = (page.items as AgentWorkspace[]).filter(
        w => w.status?.lastAction?.result !== 'in-progress',
      );
      // git status is the cost; a few at a time keeps both cores busy without flooding the disk.
      const worker = async () => {
        for (
          let workspace = queue.shift();
          workspace;
          workspace = queue.shift()
        ) {
          await this.#refresh(workspace, occupancy, result);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      continueToken = page.continueToken;
    } while (continueToken);
    return result;
  }

  async #refresh(
    workspace: AgentWorkspace,
    occupancy: WorkspaceOccupancy,
    result: InventoryResult,
  ) {
    const path = workspace.spec.path;
    if (path) {
      result.checked++;
    }
    try {
      const observed = path
        ? await readWorkspaceGitState(this.#git, path)
        : undefined;
      if (observed?.pathMissing) {
        result.missing++;
      }
      const next = await this.#associate(
        workspace,
        observed ? withGitState(workspace, observed) : workspace.status ?? {},
        occupancy,
      );
      if (next.runtimeSurfaces?.length) {
        next.runtimeSurfaces = await this.#probe.checkAll(next.runtimeSurfaces);
      }
      const written = await this.#store.updateStatus(
        { ...workspace, status: next } as StoredResource,
        { actor: INVENTORY_ACTOR },
      );
      if (
        path &&
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

  /**
   * The runs and sessions working in the workspace now. A run claimed into it stays listed while
   * it has not been created yet (for a grace period); a run that finished leaves `activeRuns`
   * but stays in `runs`. When the last run leaves, the workspace's idle time starts.
   */
  async #associate(
    workspace: AgentWorkspace,
    status: Status,
    occupancy: WorkspaceOccupancy,
  ): Promise<Status> {
    const { namespace, name } = workspace.metadata;
    const key = workspaceKey(namespace, name);
    const live = occupancy.runs.get(key) ?? [];
    const previous = status.activeRuns ?? [];
    const pending = (
      await this.#runs.pendingClaims({ ...workspace, status })
    ).filter(run => !live.includes(run));
    const activeRuns = [...live, ...pending].sort();
    let runs = status.runs;
    for (const run of activeRuns) {
      if (!runs?.includes(run)) {
        runs = withRun(runs, run);
      }
    }
    const activeSessions = occupancy.sessions.get(key) ?? [];
    const { activeRuns: _runs, activeSessions: _sessions, ...rest } = status;
    const worked = activeRuns.length > 0 && !status.pathMissing;
    return {
      ...rest,
      ...(worked && (rest.state === 'idle' || rest.state === 'archived')
        ? { state: 'active' as const }
        : {}),
      ...(activeRuns.length ? { activeRuns } : {}),
      ...(activeSessions.length ? { activeSessions } : {}),
      ...(runs ? { runs } : {}),
      ...(previous.length > 0 && activeRuns.length === 0
        ? { lastActivityTime: this.#now().toISOString() }
        : {}),
    };
  }
}

/** The status with the observed git state: missing paths make it `missing`, present ones `active`. */
function withGitState(
  workspace: AgentWorkspace,
  observed: WorkspaceGitState,
): Status {
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
