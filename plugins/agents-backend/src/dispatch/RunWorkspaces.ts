import { InputError, NotAllowedError } from '@backstage/errors';
import { AgentWorkspace } from '@krate/plugin-agents-common';
import { Repositories } from '../repositories/Repositories';
import { ResourceStore } from '../resources/ResourceStore';
import { GitCli } from '../workspaces/GitCli';
import { lowerTrust, refTrust, TrustTier } from '../workspaces/refTrust';
import { resolveRef } from '../workspaces/resolveRef';
import { sharesWorkspaces } from '../workspaces/reusePolicy';
import { workspaceBranches } from '../workspaces/workspaceBranches';
import { WorkspaceManager } from '../workspaces/WorkspaceManager';
import { PathOutsideRootError } from '../workspaces/WorkspaceRoot';
import { WorkspaceReuse } from '../workspaces/WorkspaceReuse';
import { WorkspaceRuns } from '../workspaces/WorkspaceRuns';

export interface RunWorkspaceRequest {
  namespace: string;
  run: string;
  repository: string;
  ref?: string;
  actor: string;
  /**
   * The stack's AgentWorkspacePolicy (`launchProfile.workspacePolicy`); without it the
   * namespace's `default` policy governs, when there is one.
   */
  workspacePolicy?: string;
  /** At most this trusted, whatever the ref deserves (e.g. `untrusted` for webhook runs). */
  trustTier?: TrustTier;
}

/** The workspace a run got. */
export interface RunWorkspace {
  name: string;
  /** True when it was provisioned for this run; false when the run reuses one. */
  provisioned: boolean;
}

export interface RunWorkspacesOptions {
  workspaces: WorkspaceManager;
  repositories: Repositories;
  store: ResourceStore;
  git?: GitCli;
}

/**
 * Gives a run on a repository the workspace it works in: a workspace it may share, or a fresh
 * git worktree of its own, named after the run, on a branch from the policy's template. The
 * repository is a clone under the repository roots or the cache of a declared repository,
 * fetched first. The ref decides the trust tier (a pull request head is `forked`, a commit no
 * branch or tag holds `untrusted`); only trusted work under a `reuse` policy shares workspaces.
 * The run is recorded on the workspace (`status.activeRuns`, `status.runs`).
 */
export class RunWorkspaces {
  readonly #options: RunWorkspacesOptions;
  readonly #git: GitCli;
  readonly #runs: WorkspaceRuns;
  readonly #reuse: WorkspaceReuse;

  constructor(options: RunWorkspacesOptions) {
    this.#options = options;
    this.#git = options.git ?? new GitCli();
    this.#runs = new WorkspaceRuns(options.store);
    this.#reuse = new WorkspaceReuse(options.store, this.#git, this.#runs);
  }

  /** The workspace the run works in; undefined when the repository is not known here. */
  async provision(request: RunWorkspaceRequest): Promise<string | undefined> {
    return (await this.assign(request))?.name;
  }

  /** The workspace the run works in and whether it was made for it; undefined as `provision`. */
  async assign(
    request: RunWorkspaceRequest,
  ): Promise<RunWorkspace | undefined> {
    const { workspaces, repositories, store } = this.#options;
    const { namespace, run, repository, actor, workspacePolicy } = request;
    const located = await repositories.locate(repository, request.ref);
    if (!located) {
      return undefined;
    }
    const ref = request.ref ?? 'HEAD';
    const resolved = await resolveRef(this.#git, located.path, ref);
    if (!resolved) {
      throw new InputError(`ref: '${ref}' is not a commit of ${repository}`);
    }
    const trustTier = lowerTrust(
      await refTrust({
        git: this.#git,
        repository: located.path,
        resolved,
        workspaceBranches: await workspaceBranches(store, repository),
      }),
      request.trustTier,
    );
    const governing = await workspaces.policies
      .resolve(namespace, workspacePolicy)
      .catch(error => {
        throw error instanceof PathOutsideRootError
          ? new NotAllowedError(
              `workspace: ${error.message}; no workspace can be provisioned under it`,
            )
          : error;
      });
    if (sharesWorkspaces(governing.policy, trustTier)) {
      const reused = await this.#reuse.claim({
        namespace,
        repository,
        ref,
        sha: resolved.sha,
        trustTier,
        governing,
        run,
        actor,
      });
      if (reused) {
        return { name: reused.metadata.name, provisioned: false };
      }
    }
    await workspaces.perform({
      namespace,
      name: run,
      action: 'provision',
      params: {
        repository,
        repositoryPath: located.path,
        ref,
        trustTier,
        ownership: { kind: 'dispatch-run', ref: run },
        ...(workspacePolicy ? { policy: workspacePolicy } : {}),
      },
      actor,
    });
    const created = (await store.get('AgentWorkspace', namespace, run)) as
      | AgentWorkspace
      | undefined;
    if (created) {
      await this.#runs.attach(created, run, actor);
    }
    return { name: run, provisioned: true };
  }
}
