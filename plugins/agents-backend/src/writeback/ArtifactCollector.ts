import {
  AgentDispatchRun,
  AgentReviewArtifact,
  AgentWorkspace,
  AGENTS_API_GROUP_VERSION,
} from '@krate/plugin-agents-common';
import { ConflictError } from '@backstage/errors';
import { patchStatus } from '../dispatch/patchStatus';
import { Redactor } from '../dispatch/Redactor';
import { RUN_LABEL } from '../dispatch/names';
import { ResourceStore } from '../resources/ResourceStore';
import { GitCli } from '../workspaces/GitCli';
import { ArtifactContents } from './ArtifactContents';
import {
  contentDigest,
  WorkspacePatch,
  workspacePatch,
} from './workspacePatch';

export const COLLECTOR_ACTOR = 'agents:write-back';

/** A patch past this size is recorded as failed: nobody reviews it, and no forge takes it. */
const MAX_PATCH_BYTES = 8 * 1024 * 1024;

/** States an artifact leaves for `superseded` when its workspace moves on. */
const SUPERSEDABLE = new Set([
  'pending',
  'ready',
  'approved',
  'failed',
  'changes-requested',
  'rejected',
]);

/** What an agent proposed besides its patch: a comment or a review for people to approve. */
export interface ProposedText {
  kind: 'patch' | 'comment' | 'review';
  title: string;
  body: string;
  target?: { kind: 'issue' | 'pull-request' | 'branch'; ref: string };
}

/**
 * Makes review artifacts from what an attempt left: the workspace's diff against its base (one
 * artifact per distinct diff: a workspace that moved on gives a new artifact and supersedes the
 * old one) and the texts the agent proposed. Content is kept in the backend's own table; the
 * artifact's digest is the sha256 of that content.
 */
export class ArtifactCollector {
  readonly #store: ResourceStore;
  readonly #contents: ArtifactContents;
  readonly #git: GitCli;
  readonly #secrets: Redactor;
  readonly #onSuperseded: (artifact: AgentReviewArtifact) => Promise<void>;
  readonly #onNewPatch: (
    artifact: AgentReviewArtifact,
    previous: AgentReviewArtifact,
  ) => Promise<void>;

  constructor(options: {
    store: ResourceStore;
    contents: ArtifactContents;
    git?: GitCli;
    /** Knows the configured secret values a patch must never carry to a forge. */
    secrets?: Redactor;
    /** Told of each artifact superseded, to void what was bound to it. */
    onSuperseded?: (artifact: AgentReviewArtifact) => Promise<void>;
    /** Told of each new patch that replaced an earlier one (as it was before it was replaced). */
    onNewPatch?: (
      artifact: AgentReviewArtifact,
      previous: AgentReviewArtifact,
    ) => Promise<void>;
  }) {
    this.#store = options.store;
    this.#contents = options.contents;
    this.#git = options.git ?? new GitCli();
    this.#secrets = options.secrets ?? new Redactor();
    this.#onSuperseded = options.onSuperseded ?? (async () => {});
    this.#onNewPatch = options.onNewPatch ?? (async () => {});
  }

  /** The run's artifacts, oldest first. */
  async ofRun(namespace: string, run: string): Promise<AgentReviewArtifact[]> {
    const page = await this.#store.list('AgentReviewArtifact', {
      namespace,
      labelSelector: [{ key: RUN_LABEL, operator: 'in', values: [run] }],
      limit: 500,
    });
    return (page.items as AgentReviewArtifact[]).sort((a, b) =>
      (a.metadata.creationTimestamp ?? '').localeCompare(
        b.metadata.creationTimestamp ?? '',
      ),
    );
  }

  /** The workspace's current diff, or undefined when the run has no workspace on disk. */
  async currentPatch(
    run: AgentDispatchRun,
  ): Promise<{ workspace: AgentWorkspace; patch: WorkspacePatch } | undefined> {
    const workspace = await this.workspaceOf(run);
    if (!workspace?.spec.path || !workspace.spec.sha) {
      return undefined;
    }
    const base = await this.#git
      .run(workspace.spec.path, ['merge-base', 'HEAD', workspace.spec.sha])
      .then(out => out.trim())
      .catch(() => workspace.spec.sha!);
    return {
      workspace,
      patch: await workspacePatch(this.#git, workspace.spec.path, base),
    };
  }

  async workspaceOf(run: AgentDispatchRun) {
    if (!run.spec.workspace) {
      return undefined;
    }
    const workspace = (await this.#store.get(
      'AgentWorkspace',
      run.metadata.namespace,
      run.spec.workspace,
    )) as AgentWorkspace | undefined;
    return workspace && !workspace.status?.pathMissing ? workspace : undefined;
  }

  /**
   * Takes the run's workspace diff now. Same diff as the run's current patch artifact: that one.
   * A different diff: a new `ready` artifact, and the previous one superseded. No change at
   * all: nothing (and a previous unapplied patch is superseded, since its diff is gone).
   */
  async collectPatch(
    run: AgentDispatchRun,
    options: {
      attempt?: string;
      title?: string;
      /** The attempt's redactor, which also knows the values granted to it. */
      secrets?: Redactor;
    } = {},
  ): Promise<AgentReviewArtifact | undefined> {
    const current = await this.currentPatch(run);
    if (!current) {
      return undefined;
    }
    const { workspace, patch } = current;
    const { namespace, name: runName } = run.metadata;
    const patches = (await this.ofRun(namespace, runName)).filter(
      a => a.spec.kind === 'patch' && a.status?.state !== 'superseded',
    );
    const same = patches.find(a => a.spec.digest === patch.digest);
    if (same) {
      return same;
    }
    const previous = patches[patches.length - 1];
    if (!patch.patch) {
      if (previous && SUPERSEDABLE.has(previous.status?.state ?? 'pending')) {
        await this.supersede(
          previous,
          undefined,
          'The workspace has no changes any more',
        );
      }
      return undefined;
    }
    const name = `${runName.slice(0, 40)}-patch-${patch.digest.slice(7, 17)}`;
    const tooLarge = Buffer.byteLength(patch.patch) > MAX_PATCH_BYTES;
    // A secret the agent wrote into the repository must not be kept, shown or pushed.
    const holdsSecret = (options.secrets ?? this.#secrets).holdsKnownValue(
      patch.patch,
    );
    if (!tooLarge && !holdsSecret) {
      await this.#contents.save(namespace, name, patch.patch, patch.digest);
    }
    const artifact = await this.#createOrGet({
      apiVersion: AGENTS_API_GROUP_VERSION,
      kind: 'AgentReviewArtifact',
      metadata: { name, namespace, labels: { [RUN_LABEL]: runName } },
      spec: {
        kind: 'patch',
        run: runName,
        ...(options.attempt ? { attempt: options.attempt } : {}),
        workspaceRef: workspace.metadata.name,
        repository: workspace.spec.repository,
        ...(workspace.spec.branch
          ? { target: { kind: 'branch', ref: workspace.spec.branch } }
          : {}),
        title: (options.title ?? `Changes of run ${runName}`).slice(0, 256),
        digest: patch.digest,
        sizeBytes: Buffer.byteLength(patch.patch),
        contentRef: `artifacts/${namespace}/${name}`,
        base: patch.base,
        head: patch.head,
        stat: patch.stat,
        commits: patch.commits.slice(0, 100),
        uncommitted: patch.uncommitted,
        ...(previous ? { supersedes: previous.metadata.name } : {}),
      },
      status: patchProblem(patch.patch, tooLarge, holdsSecret),
    });
    if (previous && SUPERSEDABLE.has(previous.status?.state ?? 'pending')) {
      await this.supersede(previous, artifact.metadata.name);
    }
    await this.#listOnRun(run, artifact.metadata.name);
    if (previous) {
      await this.#onNewPatch(artifact, previous);
    }
    return artifact;
  }

  /** Records a comment or review the agent proposed, as a `ready` artifact. */
  async recordText(
    run: AgentDispatchRun,
    attempt: string,
    text: ProposedText,
  ): Promise<AgentReviewArtifact> {
    const { namespace, name: runName } = run.metadata;
    const digest = contentDigest(text.body);
    const name = `${runName.slice(0, 40)}-${text.kind}-${digest.slice(7, 17)}`;
    await this.#contents.save(namespace, name, text.body, digest);
    const artifact = await this.#createOrGet({
      apiVersion: AGENTS_API_GROUP_VERSION,
      kind: 'AgentReviewArtifact',
      metadata: { name, namespace, labels: { [RUN_LABEL]: runName } },
      spec: {
        kind: text.kind,
        run: runName,
        attempt,
        ...(run.spec.workspace ? { workspaceRef: run.spec.workspace } : {}),
        ...(run.spec.repository ? { repository: run.spec.repository } : {}),
        ...(text.target ? { target: text.target } : {}),
        title: text.title.slice(0, 256),
        digest,
        sizeBytes: Buffer.byteLength(text.body),
        contentRef: `artifacts/${namespace}/${name}`,
      },
      status: { state: 'ready' },
    });
    await this.#listOnRun(run, artifact.metadata.name);
    return artifact;
  }

  /** Marks `artifact` superseded (by `by`, when a new diff replaced it) and voids what it bound. */
  async supersede(
    artifact: AgentReviewArtifact,
    by: string | undefined,
    message = by
      ? `The workspace moved on: artifact ${by} has the new diff`
      : 'The workspace moved on',
  ) {
    const updated = (await patchStatus(
      this.#store,
      {
        kind: 'AgentReviewArtifact',
        namespace: artifact.metadata.namespace,
        name: artifact.metadata.name,
      },
      status =>
        SUPERSEDABLE.has(status.state ?? 'pending')
          ? {
              ...status,
              state: 'superseded',
              message,
              ...(by ? { supersededBy: by } : {}),
            }
          : status,
      COLLECTOR_ACTOR,
    )) as AgentReviewArtifact;
    if (updated.status?.state === 'superseded') {
      await this.#onSuperseded(updated);
    }
  }

  async #createOrGet(
    object: AgentReviewArtifact,
  ): Promise<AgentReviewArtifact> {
    try {
      return (await this.#store.create(object, {
        actor: COLLECTOR_ACTOR,
      })) as AgentReviewArtifact;
    } catch (error) {
      if (!(error instanceof ConflictError)) {
        throw error;
      }
      return (await this.#store.get(
        'AgentReviewArtifact',
        object.metadata.namespace,
        object.metadata.name,
      )) as AgentReviewArtifact;
    }
  }

  async #listOnRun(run: AgentDispatchRun, artifact: string) {
    await patchStatus(
      this.#store,
      {
        kind: 'AgentDispatchRun',
        namespace: run.metadata.namespace,
        name: run.metadata.name,
      },
      status =>
        status.artifacts?.includes(artifact)
          ? status
          : { ...status, artifacts: [...(status.artifacts ?? []), artifact] },
      COLLECTOR_ACTOR,
    );
  }
}

function patchProblem(patch: string, tooLarge: boolean, holdsSecret: boolean) {
  if (holdsSecret) {
    return {
      state: 'failed' as const,
      message:
        'The diff holds a secret value (granted to the run or configured in the backend), so it is not kept or written back. Remove the value from the workspace and take the diff again.',
    };
  }
  if (tooLarge) {
    return {
      state: 'failed' as const,
      message: `The patch is ${Buffer.byteLength(
        patch,
      )} bytes, over the ${MAX_PATCH_BYTES} bytes a write-back takes`,
    };
  }
  return { state: 'ready' as const };
}
