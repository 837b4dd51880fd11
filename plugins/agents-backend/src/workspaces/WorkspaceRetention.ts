import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, NotAllowedError } from '@backstage/errors';
import { AgentWorkspace } from '@krate/plugin-agents-common';
import { ResourceStore, StoredResource } from '../resources/ResourceStore';
import { INVENTORY_ACTOR } from './WorkspaceInventory';
import { WorkspaceAction, WorkspaceManager } from './WorkspaceManager';
import { GoverningPolicy } from './WorkspacePolicies';
import { sharesWorkspaces } from './reusePolicy';

const HOUR_MS = 60 * 60_000;

/** What retention does to one workspace. */
export type RetentionStep =
  | { kind: 'idle'; reason: string }
  | {
      kind: 'action';
      action: WorkspaceAction;
      reason: string;
      /** The step a run's workspace takes when its runs finished. */
      afterRun?: boolean;
    };

export interface RetentionResult {
  idled: number;
  archived: number;
  cleanedUp: number;
  /** Actions the workspace's state refused (a dirty worktree), recorded on it. */
  refused: number;
}

export interface WorkspaceRetentionOptions {
  store: ResourceStore;
  workspaces: WorkspaceManager;
  logger: LoggerService;
  now?: () => Date;
}

/**
 * What happens to workspaces nobody works in any more, run by the inventory task:
 *
 * - a dispatch-run workspace whose runs have all finished follows its policy's
 *   `cleanup.afterRun` (`keep`: it goes `idle`; `archive`; `cleanup`). A workspace that later
 *   trusted runs may share (`reuse` mode) goes `idle` instead, waiting for the next run;
 * - `retention.archiveIdleAfterHours` archives a workspace idle that long;
 * - `retention.deleteArchivedAfterDays` cleans up (removes the worktree of) a workspace archived
 *   that long; the record stays.
 *
 * Pinned and missing workspaces, and workspaces with runs, sessions or an action in progress are
 * left alone. Every action goes through the workspace manager (recorded, audited, safety rules),
 * with the version retention decided on: a run claiming the workspace meanwhile wins. A dirty
 * worktree is never removed: the cleanup is refused and recorded, and not retried until someone
 * acts.
 */
export class WorkspaceRetention {
  readonly #options: WorkspaceRetentionOptions;
  readonly #now: () => Date;

  constructor(options: WorkspaceRetentionOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
  }

  async applyAll(): Promise<RetentionResult> {
    const result: RetentionResult = {
      idled: 0,
      archived: 0,
      cleanedUp: 0,
      refused: 0,
    };
    const policies = new Map<string, Promise<GoverningPolicy | undefined>>();
    let continueToken: string | undefined;
    do {
      const page = await this.#options.store.list('AgentWorkspace', {
        limit: 200,
        continueToken,
      });
      for (const workspace of page.items as AgentWorkspace[]) {
        const { namespace } = workspace.metadata;
        const policyKey = `${namespace}/${workspace.spec.policy ?? ''}`;
        if (!policies.has(policyKey)) {
          policies.set(
            policyKey,
            this.#options.workspaces.policies
              .resolve(namespace, workspace.spec.policy)
              .catch(() => undefined),
          );
        }
        const governing = await policies.get(policyKey)!;
        const step = this.decide(workspace, governing);
        if (step) {
          await this.#apply(workspace, step, result);
        }
      }
      continueToken = page.continueToken;
    } while (continueToken);
    return result;
  }

  /** The step retention takes for a workspace now, if any. */
  decide(
    workspace: AgentWorkspace,
    governing: GoverningPolicy | undefined,
  ): RetentionStep | undefined {
    const { spec } = workspace;
    const status = workspace.status ?? {};
    if (
      spec.pinned ||
      status.pathMissing ||
      status.state === 'missing' ||
      status.lastAction?.result === 'in-progress' ||
      status.activeRuns?.length ||
      status.activeSessions?.length
    ) {
      return undefined;
    }
    const policy = governing?.policy;
    const retention = { ...policy?.spec.retention, ...spec.retention };
    const idleMs =
      this.#now().getTime() - new Date(status.lastActivityTime ?? 0).getTime();
    const state = status.state ?? 'active';

    if (
      state === 'active' &&
      spec.ownership.kind === 'dispatch-run' &&
      status.runs?.length
    ) {
      const afterRun = sharesWorkspaces(policy, spec.trustTier)
        ? 'keep'
        : policy?.spec.cleanup?.afterRun ?? 'keep';
      const reason = `its runs finished (cleanup.afterRun: ${afterRun})`;
      return afterRun === 'keep'
        ? { kind: 'idle', reason }
        : { kind: 'action', action: afterRun, reason, afterRun: true };
    }
    if (
      (state === 'active' || state === 'idle') &&
      retention.archiveIdleAfterHours !== undefined &&
      idleMs >= retention.archiveIdleAfterHours * HOUR_MS
    ) {
      return {
        kind: 'action',
        action: 'archive',
        reason: `idle for more than ${retention.archiveIdleAfterHours} hours (retention.archiveIdleAfterHours)`,
      };
    }
    const refusedBefore =
      status.lastAction?.action === 'cleanup' &&
      status.lastAction.result !== 'succeeded' &&
      status.lastAction.actor === INVENTORY_ACTOR;
    if (
      state === 'archived' &&
      !refusedBefore &&
      retention.deleteArchivedAfterDays !== undefined &&
      idleMs >= retention.deleteArchivedAfterDays * 24 * HOUR_MS
    ) {
      return {
        kind: 'action',
        action: 'cleanup',
        reason: `archived for more than ${retention.deleteArchivedAfterDays} days (retention.deleteArchivedAfterDays)`,
      };
    }
    return undefined;
  }

  async #apply(
    workspace: AgentWorkspace,
    step: RetentionStep,
    result: RetentionResult,
  ) {
    const { store, workspaces, logger } = this.#options;
    const { namespace, name } = workspace.metadata;
    const label = `AgentWorkspace ${namespace}/${name}`;
    const what = step.kind === 'idle' ? 'idle' : step.action;
    try {
      if (step.kind === 'idle') {
        await store.updateStatus(
          {
            ...workspace,
            status: { ...workspace.status, state: 'idle' },
          } as StoredResource,
          { actor: INVENTORY_ACTOR },
        );
        result.idled++;
        return;
      }
      await workspaces.perform({
        namespace,
        name,
        action: step.action,
        params: {},
        actor: INVENTORY_ACTOR,
        resourceVersion: workspace.metadata.resourceVersion,
      });
      if (step.action === 'archive') {
        result.archived++;
      } else {
        result.cleanedUp++;
      }
      logger.info(`Retention: ${step.action} of ${label}, ${step.reason}`);
    } catch (error) {
      if (
        !(error instanceof ConflictError || error instanceof NotAllowedError)
      ) {
        logger.warn(`Retention: ${what} of ${label} failed: ${error}`);
        return;
      }
      // Refused by the workspace's state (dirty, in use, changed meanwhile) or a policy, and
      // recorded on it by the manager. A run's workspace that could not be cleaned up waits
      // idle for review.
      result.refused++;
      logger.info(`Retention: ${what} of ${label} refused: ${error.message}`);
      if (step.kind === 'action' && step.afterRun) {
        await this.#idleAfterRefusal(namespace, name);
      }
    }
  }

  async #idleAfterRefusal(namespace: string, name: string) {
    const { store } = this.#options;
    const current = (await store.get('AgentWorkspace', namespace, name)) as
      | AgentWorkspace
      | undefined;
    if (
      current?.status?.state === 'active' &&
      !current.status.activeRuns?.length
    ) {
      await store
        .updateStatus(
          {
            ...current,
            status: { ...current.status, state: 'idle' },
          } as StoredResource,
          { actor: INVENTORY_ACTOR },
        )
        .catch(() => undefined);
    }
  }
}
