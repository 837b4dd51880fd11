import { LoggerService } from '@backstage/backend-plugin-api';
import { AgentWorkspace } from '@krate/plugin-agents-common';
import os from 'node:os';
import { ResourceStore, StoredResource } from '../resources/ResourceStore';
import { assertValid } from '../service/requestParsing';
import { GitCli } from './GitCli';
import { readWorkspaceGitState } from './WorkspaceGitState';
import { REPOSITORY_PATH_ANNOTATION } from './WorkspaceProvisioner';
import { nextStatus, Status, WorkspaceActionRecord } from './workspaceStatus';

/** The actor the completion or failure of an interrupted action is written as. */
export const RECOVERY_ACTOR = 'service:agents-workspace-recovery';

export interface InterruptedActionsOptions {
  store: ResourceStore;
  logger: LoggerService;
  git?: GitCli;
  now?: () => Date;
  /** This process, as `host:pid`; default the running process. */
  instance?: string;
  /** When this process started: its own earlier incarnation's actions began before. */
  startedAt?: Date;
  /**
   * An in-progress action older than this is taken for interrupted whoever runs it (a backend
   * on another host that died); default 15 minutes, far beyond any git timeout of an action.
   */
  staleAfterMs?: number;
  /** Whether a process id is alive on this host; default: signal 0. */
  isAlive?: (pid: number) => boolean;
}

/** What recovery did to a workspace, for the log. */
export interface RecoveredAction {
  workspace: string;
  action: string;
  result: 'succeeded' | 'failed';
  message: string;
}

/**
 * Finds workspace actions a backend restart cut short (`status.lastAction.result: in-progress`)
 * and completes them or reports them failed, never leaving them half-done silently. An action is
 * interrupted when the process that ran it is gone: it ran on this host under a process id that
 * is no longer alive (or is this process, before it started), or it is older than
 * `staleAfterMs`.
 */
export class InterruptedActions {
  readonly #store: ResourceStore;
  readonly #logger: LoggerService;
  readonly #git: GitCli;
  readonly #now: () => Date;
  readonly #host: string;
  readonly #pid: number;
  readonly #startedAt: Date;
  readonly #staleAfterMs: number;
  readonly #isAlive: (pid: number) => boolean;

  constructor(options: InterruptedActionsOptions) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#git = options.git ?? new GitCli();
    this.#now = options.now ?? (() => new Date());
    const [host, pid] = splitInstance(
      options.instance ?? `${os.hostname()}:${process.pid}`,
    );
    this.#host = host;
    this.#pid = pid;
    this.#startedAt = options.startedAt ?? this.#now();
    this.#staleAfterMs = options.staleAfterMs ?? 15 * 60_000;
    this.#isAlive = options.isAlive ?? processAlive;
  }

  async recoverAll(): Promise<RecoveredAction[]> {
    const recovered: RecoveredAction[] = [];
    let continueToken: string | undefined;
    do {
      const page = await this.#store.list('AgentWorkspace', {
        limit: 200,
        continueToken,
      });
      for (const workspace of page.items as AgentWorkspace[]) {
        const action = workspace.status?.lastAction;
        if (action?.result !== 'in-progress' || !this.#interrupted(action)) {
          continue;
        }
        try {
          recovered.push(await this.#recover(workspace, action));
        } catch (error) {
          this.#logger.warn(
            `Cannot recover the interrupted ${action.action} of AgentWorkspace ${workspace.metadata.namespace}/${workspace.metadata.name}: ${error}`,
          );
        }
      }
      continueToken = page.continueToken;
    } while (continueToken);
    for (const item of recovered) {
      this.#logger.info(
        `Interrupted ${item.action} of AgentWorkspace ${item.workspace} ${item.result}: ${item.message}`,
      );
    }
    return recovered;
  }

  #interrupted(action: WorkspaceActionRecord): boolean {
    const started = new Date(action.time);
    if (this.#now().getTime() - started.getTime() > this.#staleAfterMs) {
      return true;
    }
    if (!action.instance) {
      return false;
    }
    const [host, pid] = splitInstance(action.instance);
    if (host !== this.#host) {
      return false;
    }
    return pid === this.#pid ? started < this.#startedAt : !this.#isAlive(pid);
  }

  async #recover(
    workspace: AgentWorkspace,
    action: WorkspaceActionRecord,
  ): Promise<RecoveredAction> {
    const outcome = await this.#finish(workspace, action);
    const path = workspace.spec.path;
    const observed = path
      ? await readWorkspaceGitState(this.#git, path)
      : { pathMissing: false };
    const lastAction: WorkspaceActionRecord = {
      action: action.action,
      actor: action.actor,
      time: this.#now().toISOString(),
      result: outcome.result,
      message: outcome.message,
    };
    const status: Status = nextStatus(
      workspace.status,
      observed,
      lastAction,
      outcome.state ? { state: outcome.state } : undefined,
    );
    const next = { ...workspace, status };
    assertValid(next);
    await this.#store.updateStatus(next as StoredResource, {
      actor: RECOVERY_ACTOR,
    });
    return {
      workspace: `${workspace.metadata.namespace}/${workspace.metadata.name}`,
      action: action.action,
      result: outcome.result,
      message: outcome.message,
    };
  }

  /** Looks at what the interrupted action left on disk and finishes or fails it. */
  async #finish(
    workspace: AgentWorkspace,
    action: WorkspaceActionRecord,
  ): Promise<{
    result: 'succeeded' | 'failed';
    message: string;
    state?: Status['state'];
  }> {
    const path = workspace.spec.path;
    const repository =
      workspace.metadata.annotations?.[REPOSITORY_PATH_ANNOTATION];
    const isWorktree = path ? await this.#git.isWorkTreeRoot(path) : false;
    const cut = `interrupted by a backend restart`;
    switch (action.action) {
      case 'provision':
        if (path && isWorktree && (await this.#hasHead(path))) {
          // `git worktree add` may have stopped while checking files out: nobody has worked in
          // the new worktree yet, so restoring its files from HEAD completes it.
          await this.#git.run(path, ['reset', '--hard', '--quiet']);
          if (repository) {
            await this.#git
              .run(repository, ['worktree', 'unlock', '--', path])
              .catch(() => undefined);
          }
          return {
            result: 'succeeded',
            message: `provision completed after a backend restart: worktree ${path} checked out`,
            state: 'active',
          };
        }
        await this.#prune(repository, path);
        return {
          result: 'failed',
          message: `provision ${cut} before the worktree was made; recover re-creates it, cleanup archives the record`,
        };
      case 'cleanup':
        if (!isWorktree) {
          await this.#prune(repository, path);
          return {
            result: 'succeeded',
            message: `cleanup completed after a backend restart: the worktree is gone`,
            state: 'archived',
          };
        }
        return {
          result: 'failed',
          message: `cleanup ${cut}; the worktree is still there (its files may be partly removed): review it and repeat cleanup`,
        };
      case 'recover':
        return isWorktree
          ? {
              result: 'succeeded',
              message: `recover completed after a backend restart: the worktree is present`,
              state: 'active',
            }
          : {
              result: 'failed',
              message: `recover ${cut} before the worktree was re-created; repeat recover`,
            };
      default: {
        const rebasing =
          path && isWorktree && (await this.#git.rebaseInProgress(path));
        return {
          result: 'failed',
          message: rebasing
            ? `${action.action} ${cut}; a rebase is in progress: resolve the files and rebase-mark-resolved, or rebase-abort`
            : `${action.action} ${cut}; whether it finished is unknown: check the git state before acting again`,
        };
      }
    }
  }

  async #hasHead(path: string) {
    try {
      await this.#git.revParse(path, 'HEAD^{commit}');
      return true;
    } catch {
      return false;
    }
  }

  /** Drops git's record of a worktree that is gone, so recover can make it again. */
  async #prune(repository: string | undefined, path: string | undefined) {
    if (!repository) {
      return;
    }
    if (path) {
      await this.#git
        .run(repository, ['worktree', 'unlock', '--', path])
        .catch(() => undefined);
    }
    await this.#git.worktreePrune(repository).catch(() => undefined);
  }
}

function splitInstance(instance: string): [string, number] {
  const at = instance.lastIndexOf(':');
  return [instance.slice(0, at), Number(instance.slice(at + 1))];
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) {
    return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
