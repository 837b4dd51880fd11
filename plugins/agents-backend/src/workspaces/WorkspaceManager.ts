import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  AgentWorkspace,
  AgentWorkspacePolicy,
} from '@krate/plugin-agents-common';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ResourceStore, StoredResource } from '../resources/ResourceStore';
import { assertValid } from '../service/requestParsing';
import { GitCli, GitError } from './GitCli';
import { readWorkspaceGitState, WorkspaceGitState } from './WorkspaceGitState';
import { WorkspaceParams } from './workspaceParams';
import { WorkspacePolicies } from './WorkspacePolicies';
import {
  REPOSITORY_PATH_ANNOTATION,
  baseSpec,
  repositoryTopLevel,
  WorkspaceProvisioner,
} from './WorkspaceProvisioner';
import { WorkspaceRebase } from './WorkspaceRebase';
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
const REBASE_ACTIONS: Partial<Record<WorkspaceAction, string>> = {
  'rebase-start': 'start',
  'rebase-auto-resolve': 'auto-resolve',
  'rebase-open-in-editor': 'open-in-editor',
  'rebase-mark-resolved': 'mark-resolved',
  'rebase-abort': 'abort',
};

export interface WorkspaceActionRequest {
  namespace: string;
  name: string;
  action: WorkspaceAction;
  /** The request body: action parameters. */
  params: Record<string, unknown>;
  actor: string;
  /** Told about every refusal by a safety rule, for the audit log. */
  onPolicyViolation?: (message: string) => Promise<void>;
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
  git?: GitCli;
  now?: () => Date;
}

/** What a handler did to an existing workspace. */
interface Change {
  message: string;
  spec?: Spec;
  state?: Status['state'];
  editorUrl?: string;
}

interface Context {
  workspace: AgentWorkspace;
  params: WorkspaceParams;
  policy?: AgentWorkspacePolicy;
  policyName: string;
  root: WorkspaceRoot;
  observed: WorkspaceGitState;
  actor: string;
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
    );
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

  async #act(
    request: WorkspaceActionRequest,
    params: WorkspaceParams,
    workspace: AgentWorkspace,
  ): Promise<WorkspaceActionResult> {
    const observe = () => this.#observe(workspace);
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
      };
      change = await this.#run(request.action, context);
    } catch (error) {
      const refusal = await this.#refusal(error, request);
      if (!(refusal instanceof InputError)) {
        await this.#record(workspace, request, await observe(), {
          result: refusal instanceof NotAllowedError ? 'denied' : 'failed',
          message: refusal.message,
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
        return this.#cleanup(context);
      case 'recover':
        return this.#recover(context);
      default:
        return this.#rebase(action, context);
    }
  }

  async #cleanup({
    workspace,
    params,
    observed,
    root,
    policy,
    policyName,
    actor,
  }: Context): Promise<Change> {
    const reviewed = params.boolean('reviewed');
    if (workspace.spec.pinned) {
      throw new ConflictError(
        'cleanup: the workspace is pinned; unpin it first',
      );
    }
    if (!workspace.spec.path) {
      throw new ConflictError('cleanup: the workspace has no path to remove');
    }
    if (observed.pathMissing) {
      return {
        message: `path ${workspace.spec.path} is missing or not a git worktree; nothing was removed`,
        state: 'archived',
      };
    }
    const real = await root.resolveExisting(workspace.spec.path);
    const uncommitted = observed.git?.uncommittedCount ?? 0;
    if (uncommitted > 0) {
      if (!reviewed) {
        throw new ConflictError(
          `cleanup: the workspace has ${uncommitted} uncommitted change(s); review them and repeat with reviewed: true to discard them`,
        );
      }
      if (policy && !policy.spec.cleanup?.allowDirty) {
        throw new NotAllowedError(
          `cleanup: ${policyName} does not allow discarding uncommitted changes (cleanup.allowDirty is false)`,
        );
      }
    }
    const repository = await this.#git.commonDir(real);
    await this.#git.worktreeRemove(repository, real, {
      force: uncommitted > 0,
    });
    return {
      message:
        uncommitted > 0
          ? `removed worktree ${real}, discarding ${uncommitted} uncommitted change(s) reviewed by ${actor}`
          : `removed worktree ${real}`,
      state: 'archived',
    };
  }

  async #recover({
    workspace,
    params,
    observed,
    root,
  }: Context): Promise<Change> {
    const relinkPath = params.absolutePath('path');
    const spec = workspace.spec;
    if (relinkPath) {
      const real = await root.resolveExisting(relinkPath);
      if (!(await this.#git.isWorkTreeRoot(real))) {
        throw new InputError(`path: ${relinkPath} is not a git work tree`);
      }
      return {
        message: `relinked to ${real}`,
        spec: { ...spec, path: real },
        state: 'active',
      };
    }
    if (!observed.pathMissing) {
      return { message: 'the path is present', state: 'active' };
    }
    if (!spec.path || !spec.branch) {
      throw new ConflictError(
        'recover: the workspace has no path and branch to re-create; pass path to relink it',
      );
    }
    const repositoryPath =
      params.absolutePath('repositoryPath') ??
      workspace.metadata.annotations?.[REPOSITORY_PATH_ANNOTATION];
    if (!repositoryPath) {
      throw new InputError(
        `repositoryPath: is required, the workspace has no ${REPOSITORY_PATH_ANNOTATION} annotation`,
      );
    }
    const target = await root.resolveNew(spec.path);
    if (await exists(target)) {
      throw new ConflictError(
        `recover: ${target} exists but is not a git worktree; move it away or cleanup`,
      );
    }
    const repository = await repositoryTopLevel(this.#git, repositoryPath);
    await this.#provisioner.checkRepositoryRoot(repository);
    await this.#git.worktreePrune(repository);
    let branchExists = true;
    try {
      await this.#git.revParse(repository, `refs/heads/${spec.branch}`);
    } catch {
      branchExists = false;
    }
    await this.#git.worktreeAdd(
      repository,
      target,
      branchExists
        ? { ref: spec.branch }
        : { ref: spec.sha ?? spec.ref ?? 'HEAD', newBranch: spec.branch },
    );
    return { message: `re-created worktree ${target}`, state: 'active' };
  }

  async #rebase(action: WorkspaceAction, context: Context): Promise<Change> {
    const { workspace, params, observed, root, policy, policyName } = context;
    const rebaseAction = REBASE_ACTIONS[action]!;
    const allowed = policy?.spec.rebase?.allowedActions;
    if (
      allowed &&
      !allowed.includes(rebaseAction as (typeof allowed)[number])
    ) {
      throw new NotAllowedError(
        `${action}: ${policyName} does not allow it (rebase.allowedActions: ${
          allowed.join(', ') || 'none'
        })`,
      );
    }
    const onto = action === 'rebase-start' ? params.requiredString('onto') : '';
    if (observed.pathMissing || !workspace.spec.path) {
      throw new ConflictError(
        `${action}: the workspace path is missing; recover, archive or cleanup it`,
      );
    }
    const cwd = workspace.spec.path;
    const rebase = new WorkspaceRebase(this.#git, cwd);
    switch (action) {
      case 'rebase-start':
        try {
          await this.#git.revParse(cwd, `${onto}^{commit}`);
        } catch {
          throw new InputError(
            `onto: '${onto}' is not a commit in the workspace`,
          );
        }
        return { message: await rebase.start(onto) };
      case 'rebase-abort':
        return { message: await rebase.abort() };
      case 'rebase-mark-resolved':
        return { message: await rebase.markResolved() };
      case 'rebase-auto-resolve':
        return { message: await rebase.autoResolve() };
      default: {
        const real = await root.resolveExisting(cwd);
        const editorUrl = `vscode://file${encodeURI(real)}`;
        return { message: `editor link ${editorUrl}`, editorUrl };
      }
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
      const created =
        action === 'link-existing'
          ? await this.#provisioner.link(request, params, root, base)
          : await this.#provisioner.provision(
              request,
              params,
              root,
              policy,
              base,
            );
      try {
        return await this.#createRecord(
          request,
          created.object,
          created.message,
        );
      } catch (error) {
        await created.undo?.().catch(() => undefined);
        throw error;
      }
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

async function exists(target: string) {
  try {
    await fs.lstat(target);
    return true;
  } catch {
    return false;
  }
}
