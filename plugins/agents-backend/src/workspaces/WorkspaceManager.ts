import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { AgentWorkspace, WORKSPACE_ACTIONS } from '@krate/plugin-agents-common';
import os from 'node:os';
import path from 'node:path';
import { ResourceStore, StoredResource } from '../resources/ResourceStore';
import { assertValid } from '../service/requestParsing';
import { GitCli, GitError } from './GitCli';
import {
  Change,
  Context,
  WorkspaceActionHandlers,
} from './WorkspaceActionHandlers';
import { readWorkspaceGitState, WorkspaceGitState } from './WorkspaceGitState';
import { WorkspaceParams } from './workspaceParams';
import { WorkspacePolicies } from './WorkspacePolicies';
import {
  baseSpec,
  RepositoryLocator,
  WorkspaceProvisioner,
} from './WorkspaceProvisioner';
import { WorkspaceRuns } from './WorkspaceRuns';
import { SurfaceProbe } from './SurfaceProbe';
import { WorkspaceSurfaces } from './WorkspaceSurfaces';
import {
  nextStatus,
  Status,
  WorkspaceAction,
  WorkspaceActionRecord,
} from './workspaceStatus';
import { PathOutsideRootError, WorkspaceRoot } from './WorkspaceRoot';

type Spec = AgentWorkspace['spec'];
export type { WorkspaceAction, WorkspaceActionRecord };

const KIND = 'AgentWorkspace';
export interface WorkspaceActionRequest {
  namespace: string;
  name: string;
  action: WorkspaceAction;
  /** The request body: action parameters. */
  params: Record<string, unknown>;
  actor: string;
  /** Told about every refusal by a safety rule, for the audit log. */
  onPolicyViolation?: (message: string) => Promise<void>;
  /**
   * Act only while the workspace is at this resource version (409 otherwise): automation that
   * decided on what it read must not act on a workspace a run claimed meanwhile.
   */
  resourceVersion?: string;
}

export interface WorkspaceActionResult {
  /** True when the action created the AgentWorkspace record. */
  created: boolean;
  action: WorkspaceActionRecord;
  status: Status;
}

export interface WorkspaceManagerOptions {
  store: ResourceStore;
  /** `agents.workspaces.root`: nothing outside it is created, linked or deleted. */
  root: string;
  /**
   * `agents.workspaces.repositoryRoots`: provision only from repositories inside these folders,
   * so an API caller cannot branch from any repository on the host.
   */
  repositoryRoots: string[];
  /** Where a provision without `repositoryPath` finds its repository. */
  repositories?: RepositoryLocator;
  git?: GitCli;
  now?: () => Date;
  /** `host:pid` recorded on in-progress actions; default this process. */
  instance?: string;
  /** Checks runtime surfaces when they are registered. */
  surfaceProbe?: SurfaceProbe;
}

/**
 * The actions on an existing workspace that change its worktree; they are recorded `in-progress`
 * before the git work (a provision creates its record that way).
 */
const GIT_ACTIONS: WorkspaceAction[] = [
  'cleanup',
  'recover',
  'rebase-start',
  'rebase-auto-resolve',
  'rebase-mark-resolved',
  'rebase-abort',
];

/** The actions on a workspace that exists (provision and link-existing create one). */
const EXISTING_WORKSPACE_ACTIONS = WORKSPACE_ACTIONS.filter(
  action => action !== 'provision' && action !== 'link-existing',
);

/** Stops a previewed action where its work would begin: everything before it allowed it. */
class PreviewReached extends Error {}

/** Actions that would change nothing, so the portal need not offer them. */
function redundancy(
  action: WorkspaceAction,
  workspace: AgentWorkspace,
  observed: WorkspaceGitState,
): string | undefined {
  const state = workspace.status?.state;
  if (action === 'pin' && workspace.spec.pinned) {
    return 'pin: the workspace is already pinned';
  }
  if (action === 'unpin' && !workspace.spec.pinned) {
    return 'unpin: the workspace is not pinned';
  }
  if (action === 'archive' && state === 'archived') {
    return 'archive: the workspace is already archived';
  }
  if (action === 'cleanup' && state === 'archived' && observed.pathMissing) {
    return 'cleanup: the workspace is archived and its path is gone; there is nothing to remove';
  }
  return undefined;
}

/**
 * Runs the lifecycle actions of AgentWorkspace against real git worktrees under the workspace
 * root. Every action, refused or not, is recorded in `status.lastAction` (when the record exists)
 * and written through the store with the actor, which audits it.
 */
export class WorkspaceManager {
  readonly #store: ResourceStore;
  readonly #root: WorkspaceRoot;
  readonly #git: GitCli;
  readonly #now: () => Date;
  readonly #policies: WorkspacePolicies;
  readonly #provisioner: WorkspaceProvisioner;
  readonly #handlers: WorkspaceActionHandlers;
  readonly #surfaces: WorkspaceSurfaces;
  readonly #instance: string;

  private constructor(options: WorkspaceManagerOptions) {
    this.#store = options.store;
    this.#root = new WorkspaceRoot(path.resolve(options.root));
    this.#git = options.git ?? new GitCli();
    this.#now = options.now ?? (() => new Date());
    this.#policies = new WorkspacePolicies(this.#store, this.#root);
    this.#provisioner = new WorkspaceProvisioner(
      this.#git,
      this.#store,
      options.repositoryRoots,
      options.repositories,
    );
    this.#handlers = new WorkspaceActionHandlers(
      this.#git,
      this.#provisioner,
      new WorkspaceRuns(this.#store, this.#now),
    );
    this.#surfaces = new WorkspaceSurfaces(
      options.surfaceProbe ?? new SurfaceProbe(),
    );
    this.#instance = options.instance ?? `${os.hostname()}:${process.pid}`;
  }

  /** The policies governing workspaces, and the roots they confine them to. */
  get policies(): WorkspacePolicies {
    return this.#policies;
  }

  static create(options: WorkspaceManagerOptions) {
    return new WorkspaceManager(options);
  }

  async perform(
    request: WorkspaceActionRequest,
  ): Promise<WorkspaceActionResult> {
    const params = new WorkspaceParams(request.params);
    const stored = (await this.#store.get(
      KIND,
      request.namespace,
      request.name,
    )) as AgentWorkspace | undefined;
    if (request.action === 'provision' || request.action === 'link-existing') {
      if (stored) {
        throw new ConflictError(
          `${request.action}: AgentWorkspace ${request.namespace}/${request.name} already exists; use recover with a path to relink it`,
        );
      }
      return this.#create(request, params);
    }
    if (!stored) {
      throw new NotFoundError(
        `AgentWorkspace ${request.namespace}/${request.name} not found`,
      );
    }
    return this.#act(request, params, stored);
  }

  /**
   * Whether each action on an existing workspace would be refused now, and why: every action's
   * own checks run as they would for the action, and stop where its work would begin. An action
   * refused only for its parameters (a missing `onto`, a surface's URL) counts as available.
   */
  async availability(
    namespace: string,
    name: string,
  ): Promise<{ action: WorkspaceAction; refusal?: string }[]> {
    const workspace = (await this.#store.get(KIND, namespace, name)) as
      | AgentWorkspace
      | undefined;
    if (!workspace) {
      throw new NotFoundError(`AgentWorkspace ${namespace}/${name} not found`);
    }
    const observed = await this.#observe(workspace);
    const governing = await this.#policies
      .resolve(namespace, workspace.spec.policy)
      .catch((error: Error) => error);
    const running = workspace.status?.lastAction;
    const results = [];
    for (const action of EXISTING_WORKSPACE_ACTIONS) {
      let refusal: string | undefined;
      if (running?.result === 'in-progress') {
        refusal = `${action}: ${running.action} by ${running.actor} is in progress since ${running.time}; wait for it to finish`;
      } else if (governing instanceof Error) {
        refusal = `${action}: ${governing.message}`;
      } else {
        refusal =
          redundancy(action, workspace, observed) ??
          (await this.#previewRefusal(action, {
            ...governing,
            workspace,
            params: new WorkspaceParams({ reviewed: true }),
            observed,
            actor: 'preview',
            preview: true,
            begin: async () => {
              throw new PreviewReached();
            },
          }));
      }
      results.push(refusal ? { action, refusal } : { action });
    }
    return results;
  }

  async #previewRefusal(
    action: WorkspaceAction,
    context: Context,
  ): Promise<string | undefined> {
    try {
      await this.#run(action, context);
      return undefined;
    } catch (error) {
      if (error instanceof PreviewReached || error instanceof InputError) {
        return undefined;
      }
      return (error as Error).message;
    }
  }

  async #act(
    request: WorkspaceActionRequest,
    params: WorkspaceParams,
    stored: AgentWorkspace,
  ): Promise<WorkspaceActionResult> {
    let workspace = stored;
    const observe = () => this.#observe(workspace);
    const running = workspace.status?.lastAction;
    if (running?.result === 'in-progress') {
      throw new ConflictError(
        `${request.action}: ${running.action} by ${running.actor} is in progress since ${running.time}; wait for it to finish`,
      );
    }
    if (
      request.resourceVersion !== undefined &&
      request.resourceVersion !== workspace.metadata.resourceVersion
    ) {
      throw new ConflictError(
        `${request.action}: AgentWorkspace ${request.namespace}/${request.name} changed since it was read; read it again`,
      );
    }
    let begun = false;
    let change: Change;
    try {
      const governing = await this.#policies.resolve(
        request.namespace,
        params.string('policy') ?? workspace.spec.policy,
      );
      const context: Context = {
        ...governing,
        workspace,
        params,
        observed: await observe(),
        actor: request.actor,
        begin: async () => {
          if (GIT_ACTIONS.includes(request.action)) {
            workspace = await this.#begin(workspace, request);
            begun = true;
          }
        },
      };
      change = await this.#run(request.action, context);
    } catch (error) {
      const refusal = await this.#refusal(error, request);
      if (begun || !(refusal instanceof InputError)) {
        await this.#record(workspace, request, await observe(), {
          result: refusal instanceof NotAllowedError ? 'denied' : 'failed',
          message: refusal.message,
        }).catch(recordError => {
          // Someone else wrote the workspace meanwhile (that is often the refusal itself).
          if (!(recordError instanceof ConflictError)) {
            throw recordError;
          }
        });
      }
      throw refusal;
    }
    let current = workspace;
    if (change.spec) {
      current = (await this.#store.update(
        { ...workspace, spec: change.spec } as StoredResource,
        { actor: request.actor },
      )) as AgentWorkspace;
    }
    return this.#record(
      current,
      request,
      await this.#observe(current),
      { result: 'succeeded', message: change.message },
      change,
    );
  }

  /**
   * Writes `status.lastAction` as `in-progress` with the version that was read: a concurrent
   * action or run claim makes this fail (409) before any git work, and a restart in the middle of
   * the git work finds the record (InterruptedActions completes it or reports it failed).
   */
  async #begin(
    workspace: AgentWorkspace,
    request: WorkspaceActionRequest,
  ): Promise<AgentWorkspace> {
    const status: Status = {
      ...workspace.status,
      lastAction: {
        ...this.#actionRecord(request, 'in-progress', 'started'),
        instance: this.#instance,
      },
    };
    const next = { ...workspace, status };
    assertValid(next);
    return (await this.#store.updateStatus(next as StoredResource, {
      actor: request.actor,
    })) as AgentWorkspace;
  }

  /** A workspace known only by an external id has no local path to observe. */
  #observe(workspace: AgentWorkspace): Promise<WorkspaceGitState> {
    return workspace.spec.path
      ? readWorkspaceGitState(this.#git, workspace.spec.path)
      : Promise.resolve({ pathMissing: false });
  }

  #run(action: WorkspaceAction, context: Context): Promise<Change> {
    const { workspace, params } = context;
    const spec = workspace.spec;
    switch (action) {
      case 'pin':
        return Promise.resolve({
          message: 'pinned',
          spec: { ...spec, pinned: true },
        });
      case 'unpin': {
        const { pinned: _pinned, ...rest } = spec;
        return Promise.resolve({ message: 'unpinned', spec: rest as Spec });
      }
      case 'notes-save':
        return Promise.resolve({
          message: 'notes saved',
          spec: { ...spec, notes: params.text('notes', 65536) },
        });
      case 'archive':
        return Promise.resolve({ message: 'archived', state: 'archived' });
      case 'cleanup':
        return this.#handlers.cleanup(context);
      case 'recover':
        return this.#handlers.recover(context);
      case 'surface-register':
        return this.#surfaces.register(context);
      case 'surface-remove':
        return this.#surfaces.remove(context);
      default:
        return this.#handlers.rebase(action, context);
    }
  }

  async #create(
    request: WorkspaceActionRequest,
    params: WorkspaceParams,
  ): Promise<WorkspaceActionResult> {
    const { namespace, action } = request;
    try {
      const { policy, root } = await this.#policies.resolve(
        namespace,
        params.string('policy'),
      );
      const base = baseSpec(params, policy);
      if (action === 'link-existing') {
        const linked = await this.#provisioner.link(
          request,
          params,
          root,
          base,
        );
        return await this.#createRecord(request, linked.object, linked.message);
      }
      const planned = await this.#provisioner.plan(
        request,
        params,
        root,
        policy,
        base,
      );
      // The record comes first, in progress: a concurrent provision of the same name fails here
      // before any git work, and a restart during the git work finds it.
      const pending = (await this.#store.create(
        {
          ...planned.object,
          status: {
            state: 'active',
            lastAction: {
              ...this.#actionRecord(request, 'in-progress', 'started'),
              instance: this.#instance,
            },
          },
        } as StoredResource,
        { actor: request.actor },
      )) as AgentWorkspace;
      let message: string;
      try {
        message = await planned.apply();
      } catch (error) {
        await this.#store
          .delete('AgentWorkspace', namespace, request.name, {
            actor: request.actor,
          })
          .catch(() => undefined);
        throw error;
      }
      const result = await this.#record(
        pending,
        request,
        planned.freshState,
        { result: 'succeeded', message },
        { message, state: 'active' },
      );
      return { ...result, created: true };
    } catch (error) {
      throw await this.#refusal(error, request);
    }
  }

  async #createRecord(
    request: WorkspaceActionRequest,
    object: AgentWorkspace,
    message: string,
  ): Promise<WorkspaceActionResult> {
    const observed = await readWorkspaceGitState(this.#git, object.spec.path!);
    const lastAction = this.#actionRecord(request, 'succeeded', message);
    const status = nextStatus(undefined, observed, lastAction, {
      state: 'active',
    });
    const withStatus = { ...object, status };
    assertValid(withStatus);
    const created = await this.#store.create(withStatus as StoredResource, {
      actor: request.actor,
    });
    return {
      created: true,
      action: lastAction,
      status: created.status as Status,
    };
  }

  async #record(
    workspace: AgentWorkspace,
    request: WorkspaceActionRequest,
    observed: WorkspaceGitState,
    outcome: { result: WorkspaceActionRecord['result']; message: string },
    change?: Change,
  ): Promise<WorkspaceActionResult> {
    const lastAction = this.#actionRecord(
      request,
      outcome.result,
      outcome.message,
    );
    const status = nextStatus(workspace.status, observed, lastAction, change);
    const next = { ...workspace, status };
    assertValid(next);
    const written = await this.#store.updateStatus(next as StoredResource, {
      actor: request.actor,
    });
    return {
      created: false,
      action: lastAction,
      status: written.status as Status,
    };
  }

  #actionRecord(
    request: WorkspaceActionRequest,
    result: WorkspaceActionRecord['result'],
    message: string,
  ): WorkspaceActionRecord {
    const { action, actor } = request;
    const time = this.#now().toISOString();
    return { action, actor, time, result, message };
  }

  /** Turns safety and git failures into the HTTP errors the route answers with. */
  async #refusal(error: unknown, request: WorkspaceActionRequest) {
    if (error instanceof PathOutsideRootError) {
      const message = `${
        request.action
      } refused by the workspace root policy (only paths under ${
        this.#root.root
      } are managed): ${error.message}`;
      await request.onPolicyViolation?.(message);
      return new NotAllowedError(message);
    }
    if (error instanceof GitError) {
      return new ConflictError(`${request.action}: ${error.message}`);
    }
    return error as Error;
  }
}
