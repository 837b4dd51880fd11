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
import { readWorkspaceGitState } from './WorkspaceGitState';
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

/** A workspace ready to be recorded; `undo` takes back what was done on disk. */
export interface NewWorkspace {
  object: AgentWorkspace;
  message: string;
  undo?: () => Promise<void>;
}

/** The top level of the repository at `repositoryPath`, or bad input. */
export async function repositoryTopLevel(
  git: GitCli,
  repositoryPath: string,
): Promise<string> {
  try {
    return await git.topLevel(repositoryPath);
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
  const tier = policy?.spec.trustTiers?.find(t => t.tier === trustTier);
  return {
    repository,
    ownership: { kind: ownerKind, ...(ownerRef ? { ref: ownerRef } : {}) },
    trustTier,
    ...(policy ? { policy: policy.metadata.name } : {}),
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
  ) {}

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

  async provision(
    request: WorkspaceTarget,
    params: WorkspaceParams,
    root: WorkspaceRoot,
    policy: AgentWorkspacePolicy | undefined,
    base: Partial<Spec>,
  ): Promise<NewWorkspace> {
    const { namespace, name } = request;
    const repositoryPath = params.absolutePath('repositoryPath');
    if (!repositoryPath) {
      throw new InputError('repositoryPath: is required');
    }
    const ref = params.string('ref') ?? 'HEAD';
    const branch =
      params.string('branch') ??
      (
        policy?.spec.provisioning.branchTemplate ?? 'agents/{{workspace}}'
      ).replace(/\{\{\s*(workspace|run|name)\s*\}\}/g, name);
    const repository = await repositoryTopLevel(this.git, repositoryPath);
    await this.checkRepositoryRoot(repository);
    let sha: string;
    try {
      sha = await this.git.revParse(repository, `${ref}^{commit}`);
    } catch {
      throw new InputError(
        `ref: '${ref}' is not a commit in ${repositoryPath}`,
      );
    }
    try {
      await this.git.run(repository, ['check-ref-format', '--branch', branch]);
    } catch {
      throw new InputError(`branch: '${branch}' is not a valid branch name`);
    }
    // Every provision gets a fresh directory of its own, so untrusted and forked work is always
    // isolated and never lands in a trusted workspace.
    const target = await root.resolveNew(path.join(root.root, namespace, name));
    if (await exists(target)) {
      throw new ConflictError(`provision: ${target} already exists`);
    }
    const object = this.#newWorkspace(request, {
      spec: { ...base, path: target, branch, ref, sha } as Spec,
      annotations: { [REPOSITORY_PATH_ANNOTATION]: repository },
    });
    assertValid(object);
    await this.git.worktreeAdd(repository, target, {
      newBranch: branch,
      ref: sha,
    });
    return {
      object,
      message: `provisioned ${branch} from ${ref} (${sha.slice(
        0,
        12,
      )}) at ${target}`,
      // When the record cannot be created (a concurrent provision won), leave no orphan worktree.
      undo: () =>
        this.git
          .worktreeRemove(repository, target, { force: true })
          .then(() => this.git.run(repository, ['branch', '-D', branch]))
          .then(() => undefined),
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
