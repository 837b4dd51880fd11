import { ConflictError } from '@backstage/errors';
import { AgentWorkspace } from '@krate/plugin-agents-common';
import { ResourceStore, StoredResource } from '../resources/ResourceStore';
import { GitCli } from './GitCli';
import { TrustTier } from './refTrust';
import { readWorkspaceGitState } from './WorkspaceGitState';
import { GoverningPolicy } from './WorkspacePolicies';
import { workspaceKey, WorkspaceRuns } from './WorkspaceRuns';

/** What a run needs of a workspace it could share. */
export interface ReuseRequest {
  namespace: string;
  repository: string;
  /** The ref as the run names it (`HEAD` when it names none). */
  ref: string;
  /** The commit the ref is at now. */
  sha: string;
  trustTier: TrustTier;
  governing: GoverningPolicy;
  run: string;
  actor: string;
}

/**
 * Finds an idle workspace a run may share and claims it. Compatible means: a run's workspace of
 * the same repository, ref, policy and trust tier — and only `trusted` work ever shares, so
 * untrusted work never lands in a trusted workspace — not pinned, archived, missing or busy with
 * a run or an action, inside the policy's root, clean, with no rebase stopped, and with no commits
 * beyond the ref (it is fast-forwarded to the ref's commit). Of two runs claiming one workspace
 * only one gets it: the claim is written with the version that was read.
 */
export class WorkspaceReuse {
  constructor(
    private readonly store: ResourceStore,
    private readonly git: GitCli,
    private readonly runs: WorkspaceRuns,
  ) {}

  async claim(request: ReuseRequest): Promise<AgentWorkspace | undefined> {
    if (request.trustTier !== 'trusted') {
      return undefined;
    }
    const { runs: busy } = await this.runs.occupancy(request.namespace);
    const free: AgentWorkspace[] = [];
    for (const workspace of await this.#sameRepository(request)) {
      if (
        this.#compatible(workspace, request) &&
        !busy.has(workspaceKey(request.namespace, workspace.metadata.name)) &&
        (await this.runs.pendingClaims(workspace)).length === 0
      ) {
        free.push(workspace);
      }
    }
    const candidates = free.sort((a, b) =>
      (b.status?.lastActivityTime ?? '').localeCompare(
        a.status?.lastActivityTime ?? '',
      ),
    );
    for (const candidate of candidates) {
      const claimed = await this.#tryClaim(candidate, request);
      if (claimed) {
        return claimed;
      }
    }
    return undefined;
  }

  #compatible(workspace: AgentWorkspace, request: ReuseRequest): boolean {
    const { spec } = workspace;
    const status = workspace.status ?? {};
    return (
      spec.ownership.kind === 'dispatch-run' &&
      spec.trustTier === 'trusted' &&
      (spec.ref ?? 'HEAD') === request.ref &&
      spec.policy === request.governing.policy?.metadata.name &&
      !spec.pinned &&
      Boolean(spec.path) &&
      (status.state === 'idle' || status.state === 'active') &&
      !status.pathMissing &&
      status.lastAction?.result !== 'in-progress'
    );
  }

  async #tryClaim(
    workspace: AgentWorkspace,
    request: ReuseRequest,
  ): Promise<AgentWorkspace | undefined> {
    const dir = workspace.spec.path!;
    try {
      await request.governing.root.resolveExisting(dir);
    } catch {
      return undefined;
    }
    const observed = await readWorkspaceGitState(this.git, dir);
    const head = observed.git?.headSha;
    if (
      observed.pathMissing ||
      !head ||
      observed.git?.dirty ||
      observed.git?.rebaseInProgress ||
      !(await this.git.isAncestor(dir, head, request.sha).catch(() => false))
    ) {
      return undefined;
    }
    let claimed: AgentWorkspace;
    try {
      claimed = await this.runs.attach(workspace, request.run, request.actor);
    } catch (error) {
      if (error instanceof ConflictError) {
        return undefined;
      }
      throw error;
    }
    try {
      if (head !== request.sha) {
        await this.git.run(dir, ['merge', '--ff-only', '--quiet', request.sha]);
      }
    } catch {
      await this.#release(claimed, request.run, request.actor);
      return undefined;
    }
    // The claim is the record of the reuse (status.activeRuns and runs, audited with the actor);
    // lastAction stays what a person or the controller last did to the workspace.
    const now = await readWorkspaceGitState(this.git, dir);
    return (await this.store.updateStatus(
      {
        ...claimed,
        status: {
          ...claimed.status,
          state: 'active',
          pathMissing: now.pathMissing,
          ...(now.git ? { git: now.git } : {}),
        },
      } as StoredResource,
      { actor: request.actor },
    )) as AgentWorkspace;
  }

  async #release(workspace: AgentWorkspace, run: string, actor: string) {
    const activeRuns = (workspace.status?.activeRuns ?? []).filter(
      r => r !== run,
    );
    const runs = (workspace.status?.runs ?? []).filter(r => r !== run);
    const { activeRuns: _a, runs: _r, ...rest } = workspace.status ?? {};
    await this.store
      .updateStatus(
        {
          ...workspace,
          status: {
            ...rest,
            ...(activeRuns.length ? { activeRuns } : {}),
            ...(runs.length ? { runs } : {}),
          },
        } as StoredResource,
        { actor },
      )
      .catch(() => undefined);
  }

  async #sameRepository(request: ReuseRequest): Promise<AgentWorkspace[]> {
    const found: AgentWorkspace[] = [];
    let continueToken: string | undefined;
    do {
      const page = await this.store.list('AgentWorkspace', {
        namespace: request.namespace,
        fieldFilters: { repository: request.repository },
        limit: 500,
        continueToken,
      });
      found.push(...(page.items as AgentWorkspace[]));
      continueToken = page.continueToken;
    } while (continueToken);
    return found;
  }
}
