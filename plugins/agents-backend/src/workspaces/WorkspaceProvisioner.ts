import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import {
  AGENTS_API_GROUP_VERSION,
  AgentWorkspace,
  AgentWorkspacePolicy,
  TRUST_TIERS,
  WORKSPACE_OWNER_KINDS,
} from '@krate/plugin-agents-common';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ResourceStore } from '../resources/ResourceStore';
import { assertValid } from '../service/requestParsing';
import { GitCli } from './GitCli';
import { lowerTrust, refTrust, TrustTier } from './refTrust';
import { resolveRef } from './resolveRef';
import { workspaceBranches } from './workspaceBranches';
import { readWorkspaceGitState, WorkspaceGitState } from './WorkspaceGitState';
import { WorkspaceParams } from './workspaceParams';
import { WorkspaceRoot } from './WorkspaceRoot';

type Spec = AgentWorkspace['spec'];

/** Where provision keeps the repository a worktree came from, so recover can re-create it. */
export const REPOSITORY_PATH_ANNOTATION = 'agents.krate.dev/repository-path';

/** The workspace a new record is for. */
export interface WorkspaceTarget {
  namespace: string;
  name: string;
}

/** An existing worktree ready to be recorded. */
export interface NewWorkspace {
  object: AgentWorkspace;
  message: string;
}

/** A provision checked and ready: the record to create, and the git work that makes its worktree. */
export interface PlannedWorkspace {
  object: AgentWorkspace;
  /** Makes the worktree; resolves the action message. */
  apply(): Promise<string>;
  /**
   * The git state of the worktree `apply` makes: a new branch at the commit, with no upstream
   * and a clean tree (hooks are off). Known without reading 5,000 files back; the inventory
   * loop reads the real state from then on.
   */
  freshState: WorkspaceGitState;
}

/** Finds the repository a provision without `repositoryPath` takes its commits from. */
export interface RepositoryLocator {
  /** The repository (a clone or a cache brought up to date for `ref`), or undefined. */
  locate(name: string, ref?: string): Promise<{ path: string } | undefined>;
}

/**
 * The repository at `repositoryPath` as worktrees are made of it: the top level of a clone, or
 * the git directory of a bare repository (a repository cache). Anything else is bad input.
 */
export async function repositoryTopLevel(
  git: GitCli,
  repositoryPath: string,
): Promise<string> {
  try {
    return (await git.isBare(repositoryPath))
      ? await git.gitDir(repositoryPath)
      : await git.topLevel(repositoryPath);
  } catch {
    throw new InputError(
      `repositoryPath: ${repositoryPath} is not a git repository`,
    );
  }
}

/** The spec fields every new workspace takes from the request and the governing policy. */
export function baseSpec(
  params: WorkspaceParams,
  policy: AgentWorkspacePolicy | undefined,
): Partial<Spec> {
  const repository = params.requiredString('repository');
  const trustTier = params.oneOf('trustTier', TRUST_TIERS) ?? 'untrusted';
  const ownership = new WorkspaceParams(
    params.object('ownership') ?? { kind: 'manual' },
  );
  const ownerKind = ownership.oneOf('kind', WORKSPACE_OWNER_KINDS);
  if (!ownerKind) {
    throw new InputError('ownership.kind: is required');
  }
  const ownerRef = ownership.string('ref');
  return {
    repository,
    ownership: { kind: ownerKind, ...(ownerRef ? { ref: ownerRef } : {}) },
    ...(policy ? { policy: policy.metadata.name } : {}),
    ...tierSpec(policy, trustTier),
  };
}

/** The trust tier and what the policy gives that tier: its service account and runner pool. */
function tierSpec(
  policy: AgentWorkspacePolicy | undefined,
  trustTier: TrustTier,
): Partial<Spec> {
  const tier = policy?.spec.trustTiers?.find(t => t.tier === trustTier);
  return {
    trustTier,
    ...(tier ? { serviceAccountName: tier.serviceAccountName } : {}),
    ...(tier?.runnerPool ? { runnerPool: tier.runnerPool } : {}),
  };
}

/**
 * Makes the worktree of a new workspace (provision) or checks an existing one (link-existing),
 * and builds its record. Every provision gets a fresh directory of its own, so untrusted and
 * forked work is always isolated.
 */
export class WorkspaceProvisioner {
  constructor(
    private readonly git: GitCli,
    private readonly store: ResourceStore,
    private readonly repositoryRoots: string[],
    private readonly repositories?: RepositoryLocator,
  ) {}

  /** Where the repository `name` is on this host (a cache brought up to date), if known. */
  async locate(name: string, ref?: string): Promise<string | undefined> {
    return (await this.repositories?.locate(name, ref))?.path;
  }

  async #locate(repository: string, ref: string | undefined) {
    const located = await this.repositories?.locate(repository, ref);
    if (!located) {
      // Neither a path nor a repository this backend knows (agents.repositories, the catalog or
      // a clone under the repository roots).
      throw new InputError('repositoryPath: is required');
    }
    return located.path;
  }

  /** Refuses repositories outside the configured repository roots (compared as real paths). */
  async checkRepositoryRoot(repository: string) {
    const real = await fs.realpath(repository);
    for (const root of this.repositoryRoots) {
      const realRoot = await fs.realpath(root).catch(() => undefined);
      if (
        realRoot &&
        (real === realRoot || real.startsWith(`${realRoot}${path.sep}`))
      ) {
        return;
      }
    }
    throw new NotAllowedError(
      `repositoryPath: ${repository} is outside the repository roots this backend may provision from (agents.workspaces.repositoryRoots)`,
    );
  }

  /**
   * Checks a provision and builds the record it will create; `apply` then makes the worktree.
   * The trust tier is the requested one, lowered to what the ref deserves: a pull request head
   * is `forked`, a commit no branch or tag of the repository holds is `untrusted`.
   */
  async plan(
    request: WorkspaceTarget,
    params: WorkspaceParams,
    root: WorkspaceRoot,
    policy: AgentWorkspacePolicy | undefined,
    base: Partial<Spec>,
  ): Promise<PlannedWorkspace> {
    const { namespace, name } = request;
    const repositoryPath =
      params.absolutePath('repositoryPath') ??
      (await this.#locate(base.repository!, params.string('ref')));
    const ref = params.string('ref') ?? 'HEAD';
    const branch =
      params.string('branch') ??
      (
        policy?.spec.provisioning.branchTemplate ?? 'agents/{{workspace}}'
      ).replace(/\{\{\s*(workspace|run|name)\s*\}\}/g, name);
    const repository = await repositoryTopLevel(this.git, repositoryPath);
    await this.checkRepositoryRoot(repository);
    // Independent checks run side by side: each is a git process, and they add up.
    const [resolved, validBranch] = await Promise.all([
      resolveRef(this.git, repository, ref),
      this.git.run(repository, ['check-ref-format', '--branch', branch]).then(
        () => true,
        () => false,
      ),
    ]);
    if (!resolved) {
      throw new InputError(
        `ref: '${ref}' is not a commit in ${repositoryPath}`,
      );
    }
    if (!validBranch) {
      throw new InputError(`branch: '${branch}' is not a valid branch name`);
    }
    const { sha } = resolved;
    // Every provision gets a fresh directory of its own, so untrusted and forked work is always
    // isolated and never lands in a trusted workspace.
    const [refTier, target, committed] = await Promise.all([
      workspaceBranches(this.store, base.repository!).then(branches =>
        refTrust({
          git: this.git,
          repository,
          resolved,
          workspaceBranches: branches,
        }),
      ),
      root.resolveNew(path.join(root.root, namespace, name)),
      this.git.lastCommitTime(repository, sha),
    ]);
    const trustTier = lowerTrust(refTier, base.trustTier);
    if (await exists(target)) {
      throw new ConflictError(`provision: ${target} already exists`);
    }
    // The tier may be lower than requested: what the policy gives the requested tier goes.
    const {
      serviceAccountName: _account,
      runnerPool: _pool,
      ...untiered
    } = base;
    const object = this.#newWorkspace(request, {
      spec: {
        ...untiered,
        ...tierSpec(policy, trustTier),
        path: target,
        branch,
        ref,
        sha,
      } as Spec,
      annotations: { [REPOSITORY_PATH_ANNOTATION]: repository },
    });
    assertValid(object);
    return {
      object,
      apply: async () => {
        await this.git.worktreeAdd(repository, target, {
          newBranch: branch,
          ref: sha,
        });
        return `provisioned ${branch} from ${ref} (${sha.slice(
          0,
          12,
        )}) at ${target}`;
      },
      freshState: {
        pathMissing: false,
        ...(committed ? { lastActivityTime: committed } : {}),
        git: {
          branch,
          headSha: sha,
          ahead: 0,
          behind: 0,
          dirty: false,
          uncommittedCount: 0,
          conflictingFiles: [],
          rebaseInProgress: false,
        },
      },
    };
  }

  async link(
    request: WorkspaceTarget,
    params: WorkspaceParams,
    root: WorkspaceRoot,
    base: Partial<Spec>,
  ): Promise<NewWorkspace> {
    const linkPath = params.absolutePath('path');
    if (!linkPath) {
      throw new InputError('path: is required');
    }
    const real = await root.resolveExisting(linkPath);
    if (!(await this.git.isWorkTreeRoot(real))) {
      throw new InputError(`path: ${linkPath} is not a git work tree`);
    }
    for (const other of await this.#workspacesAt(real)) {
      const otherSpec = other.spec;
      const label = `AgentWorkspace ${other.metadata.namespace}/${other.metadata.name}`;
      if (base.trustTier !== 'trusted' || otherSpec.trustTier !== 'trusted') {
        throw new ConflictError(
          `link-existing: ${real} belongs to ${label} (trust tier ${otherSpec.trustTier}); ${base.trustTier} work needs an isolated workspace and never reuses another`,
        );
      }
      if (otherSpec.repository !== base.repository) {
        throw new ConflictError(
          `link-existing: ${real} belongs to ${label} of repository ${otherSpec.repository}`,
        );
      }
    }
    const state = await readWorkspaceGitState(this.git, real);
    const object = this.#newWorkspace(request, {
      spec: {
        ...base,
        path: real,
        ...(state.git?.branch ? { branch: state.git.branch } : {}),
        ...(state.git?.headSha ? { sha: state.git.headSha } : {}),
      } as Spec,
    });
    assertValid(object);
    return { object, message: `linked ${real}` };
  }

  #newWorkspace(
    request: WorkspaceTarget,
    parts: { spec: Spec; annotations?: Record<string, string> },
  ): AgentWorkspace {
    return {
      apiVersion: AGENTS_API_GROUP_VERSION,
      kind: 'AgentWorkspace',
      metadata: {
        namespace: request.namespace,
        name: request.name,
        ...(parts.annotations ? { annotations: parts.annotations } : {}),
      },
      spec: parts.spec,
    } as AgentWorkspace;
  }

  async #workspacesAt(real: string): Promise<AgentWorkspace[]> {
    const found: AgentWorkspace[] = [];
    let continueToken: string | undefined;
    do {
      const page = await this.store.list('AgentWorkspace', {
        limit: 500,
        continueToken,
      });
      for (const item of page.items as AgentWorkspace[]) {
        if (item.spec.path && path.resolve(item.spec.path) === real) {
          found.push(item);
        }
      }
      continueToken = page.continueToken;
    } while (continueToken);
    return found;
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
