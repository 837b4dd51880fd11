import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import {
  AgentWorkspace,
  AgentWorkspacePolicy,
} from '@krate/plugin-agents-common';
import { promises as fs } from 'node:fs';
import { GitCli } from './GitCli';
import { WorkspaceGitState } from './WorkspaceGitState';
import { WorkspaceParams } from './workspaceParams';
import {
  REPOSITORY_PATH_ANNOTATION,
  repositoryTopLevel,
  WorkspaceProvisioner,
} from './WorkspaceProvisioner';
import { WorkspaceRebase } from './WorkspaceRebase';
import { WorkspaceRoot } from './WorkspaceRoot';
import { WorkspaceRuns } from './WorkspaceRuns';
import { Status, WorkspaceAction } from './workspaceStatus';

type Spec = AgentWorkspace['spec'];

const REBASE_ACTIONS: Partial<Record<WorkspaceAction, string>> = {
  'rebase-start': 'start',
  'rebase-auto-resolve': 'auto-resolve',
  'rebase-open-in-editor': 'open-in-editor',
  'rebase-mark-resolved': 'mark-resolved',
  'rebase-abort': 'abort',
};

/** What a handler did to an existing workspace. */
export interface Change {
  message: string;
  spec?: Spec;
  state?: Status['state'];
  editorUrl?: string;
  /** The workspace's runtime surfaces after the action. */
  runtimeSurfaces?: Status['runtimeSurfaces'];
}

/** What an action handler works with: the workspace, the request and the governing policy. */
export interface Context {
  workspace: AgentWorkspace;
  params: WorkspaceParams;
  policy?: AgentWorkspacePolicy;
  policyName: string;
  root: WorkspaceRoot;
  observed: WorkspaceGitState;
  actor: string;
  /** Records the action `in-progress`; called right before the git work. */
  begin: () => Promise<void>;
  /**
   * Only checking whether the action would be refused: `begin` stops it, and nothing may be
   * fetched or written before that.
   */
  preview?: boolean;
}

/**
 * The actions that work on the worktree of an existing workspace: cleanup, recover and the rebase
 * actions. Each checks the workspace's state and the policy, calls `begin` right before its git
 * work, and says what it did; the manager records it.
 */
export class WorkspaceActionHandlers {
  constructor(
    private readonly git: GitCli,
    private readonly provisioner: WorkspaceProvisioner,
    private readonly runs: WorkspaceRuns,
  ) {}

  async cleanup({
    workspace,
    params,
    observed,
    root,
    policy,
    policyName,
    actor,
    begin,
  }: Context): Promise<Change> {
    const reviewed = params.boolean('reviewed');
    if (workspace.spec.pinned) {
      throw new ConflictError(
        'cleanup: the workspace is pinned; unpin it first',
      );
    }
    // Runs claimed into it a moment ago count too: their records are about to be created.
    const working = [
      ...(await this.runs.activeRunsIn(
        workspace.metadata.namespace,
        workspace.metadata.name,
      )),
      ...(await this.runs.pendingClaims(workspace)),
    ];
    if (working.length > 0) {
      throw new ConflictError(
        `cleanup: run(s) ${working.join(
          ', ',
        )} still work in the workspace; wait for them to finish or cancel them`,
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
    const repository = await this.git.commonDir(real);
    await begin();
    await this.git.worktreeRemove(repository, real, {
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

  async recover(context: Context): Promise<Change> {
    const { workspace, params, observed, root, begin } = context;
    const relinkPath = params.absolutePath('path');
    const spec = workspace.spec;
    if (relinkPath) {
      const real = await root.resolveExisting(relinkPath);
      if (!(await this.git.isWorkTreeRoot(real))) {
        throw new InputError(`path: ${relinkPath} is not a git work tree`);
      }
      return {
        message: `relinked to ${real}`,
        spec: { ...spec, path: real },
        state: 'active',
      };
    }
    if (!observed.pathMissing) {
      if (context.preview) {
        throw new ConflictError(
          'recover: the path is present; there is nothing to recover (pass path to relink it elsewhere)',
        );
      }
      return { message: 'the path is present', state: 'active' };
    }
    if (!spec.path || !spec.branch) {
      throw new ConflictError(
        'recover: the workspace has no path and branch to re-create; pass path to relink it',
      );
    }
    // The repository it came from, else where the repository is now (a cache that was deleted
    // is cloned again).
    const annotated =
      workspace.metadata.annotations?.[REPOSITORY_PATH_ANNOTATION];
    const repositoryPath =
      params.absolutePath('repositoryPath') ??
      (await this.#recoverySource(context, annotated)) ??
      annotated;
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
    const repository = await repositoryTopLevel(this.git, repositoryPath);
    await this.provisioner.checkRepositoryRoot(repository);
    await begin();
    await this.git.worktreePrune(repository);
    let branchExists = true;
    try {
      await this.git.revParse(repository, `refs/heads/${spec.branch}`);
    } catch {
      branchExists = false;
    }
    await this.git.worktreeAdd(
      repository,
      target,
      branchExists
        ? { ref: spec.branch }
        : { ref: spec.sha ?? spec.ref ?? 'HEAD', newBranch: spec.branch },
    );
    return { message: `re-created worktree ${target}`, state: 'active' };
  }

  /** The annotated repository while it exists, else where the repository is now. */
  async #recoverySource(context: Context, annotated: string | undefined) {
    if (annotated && (await exists(annotated))) {
      return annotated;
    }
    // Locating may fetch the repository into the cache: not while only checking.
    if (context.preview) {
      return undefined;
    }
    const { repository, ref } = context.workspace.spec;
    return this.provisioner.locate(repository, ref);
  }

  async rebase(action: WorkspaceAction, context: Context): Promise<Change> {
    const { workspace, params, observed, root, policy, policyName, begin } =
      context;
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
    if (observed.pathMissing || !workspace.spec.path) {
      throw new ConflictError(
        `${action}: the workspace path is missing; recover, archive or cleanup it`,
      );
    }
    const onto = action === 'rebase-start' ? params.requiredString('onto') : '';
    const cwd = workspace.spec.path;
    const inProgress = Boolean(observed.git?.rebaseInProgress);
    if (action === 'rebase-start' && inProgress) {
      throw new ConflictError(
        'rebase-start: a rebase is already in progress; continue or abort it first',
      );
    }
    if (action !== 'rebase-start' && action !== 'rebase-open-in-editor') {
      if (!inProgress) {
        throw new ConflictError(`${action}: no rebase is in progress`);
      }
    }
    const rebase = new WorkspaceRebase(this.git, cwd);
    switch (action) {
      case 'rebase-start':
        try {
          await this.git.revParse(cwd, `${onto}^{commit}`);
        } catch {
          throw new InputError(
            `onto: '${onto}' is not a commit in the workspace`,
          );
        }
        await begin();
        return { message: await rebase.start(onto) };
      case 'rebase-abort':
        await begin();
        return { message: await rebase.abort() };
      case 'rebase-mark-resolved':
        await begin();
        return { message: await rebase.markResolved() };
      case 'rebase-auto-resolve':
        await begin();
        return { message: await rebase.autoResolve() };
      default: {
        const real = await root.resolveExisting(cwd);
        const editorUrl = `vscode://file${encodeURI(real)}`;
        return { message: `editor link ${editorUrl}`, editorUrl };
      }
    }
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
