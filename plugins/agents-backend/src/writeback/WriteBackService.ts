import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  AgentApproval,
  AgentDispatchAttempt,
  AgentDispatchRun,
  AgentReviewArtifact,
  WriteBackOperation,
  WriteBackRecord,
  WriteBackTargetChoice,
} from '@krate/plugin-agents-common';

import { ApprovalService } from '../approvals/ApprovalService';
import { isTerminal, RUN_LABEL } from '../dispatch/names';
import { patchStatus } from '../dispatch/patchStatus';
import { ResourceStore } from '../resources/ResourceStore';
import { ArtifactCollector, COLLECTOR_ACTOR } from './ArtifactCollector';
import { ArtifactContents } from './ArtifactContents';
import { parseWriteBackRequest } from './parseWriteBackRequest';
import { RepositoryRemotes } from './RepositoryRemotes';
import { boundOperation, writeBackKey } from './writeBackKey';
import { WriteBackLedger } from './WriteBackLedger';
import {
  needsApproval,
  policyRefusal,
  WriteBackPolicy,
} from './writeBackPolicy';
import { WriteBackTargets } from './WriteBackTargets';

const PATCH_OPERATIONS = new Set(['branch', 'pull-request']);
const TEXT_OPERATIONS = new Set(['review', 'comment', 'issue-comment']);

export interface WriteBackServiceOptions {
  store: ResourceStore;
  ledger: WriteBackLedger;
  contents: ArtifactContents;
  collector: ArtifactCollector;
  targets: WriteBackTargets;
  approvals: ApprovalService;
  remotes: RepositoryRemotes;
  /** The catalog owners of a repository, the approvers when a stack names none. */
  repositoryOwners(repository: string): Promise<string[]>;
  /** Told when a write-back may be applied now. */
  wake(): void;
  logger: LoggerService;
}

/** The run and launch snapshot a write-back is judged by. */
interface RunContext {
  run: AgentDispatchRun;
  policy?: WriteBackPolicy;
  allowSelfApproval: boolean;
  approvers?: string[];
  stack?: string;
}

/**
 * Write-back requests: checks a request against the artifact (still the workspace's diff, not
 * superseded), the run (finished), the stack's write-back policy and the target, records the
 * operation once in the ledger under its exactly-once key and opens the approval bound to the
 * artifact digest and the exact operation. Guards approval decisions: a write-back approval whose
 * artifact moved on is void.
 */
export class WriteBackService {
  readonly #o: WriteBackServiceOptions;

  constructor(options: WriteBackServiceOptions) {
    this.#o = options;
  }

  get collector() {
    return this.#o.collector;
  }

  async content(artifact: AgentReviewArtifact) {
    return this.#o.contents.get(
      artifact.metadata.namespace,
      artifact.metadata.name,
    );
  }

  async records(artifact: AgentReviewArtifact): Promise<WriteBackRecord[]> {
    const entries = await this.#o.ledger.forArtifact(
      artifact.metadata.namespace,
      artifact.metadata.name,
    );
    return entries.map(({ tries: _tries, ...record }) => record);
  }

  /** Every registered target, and whether it can write to the artifact's repository. */
  async targetsFor(
    artifact: AgentReviewArtifact,
  ): Promise<WriteBackTargetChoice[]> {
    const repository = await this.#o.remotes.repositoryOf(
      artifact.spec.repository,
    );
    return Promise.all(
      this.#o.targets.list().map(async target => {
        const support = repository
          ? await target.supports(repository)
          : {
              supported: false as const,
              reason: 'The artifact names no repository',
            };
        return {
          target: target.id,
          displayName: target.displayName,
          operations: target.operations,
          available: support.supported,
          ...(support.supported ? {} : { reason: support.reason }),
        };
      }),
    );
  }

  /**
   * Records a write-back of `artifact` (once per key) and opens its approval when the policy
   * asks for one. The same request again answers the same record.
   */
  async request(
    artifact: AgentReviewArtifact,
    raw: unknown,
    actor: string,
    options: { followUp?: boolean } = {},
  ): Promise<{ writeBack: WriteBackRecord; approval?: string }> {
    const { namespace } = artifact.metadata;
    const body = parseWriteBackRequest(raw, {
      branch: `agents/${artifact.spec.run}`.slice(0, 200),
      title: artifact.spec.title ?? `Changes of run ${artifact.spec.run}`,
    });
    const { target: targetId, ...operation } = body;
    const target = this.#o.targets.get(targetId);
    if (!target) {
      throw new InputError(
        `target: unknown write-back target '${targetId}'; registered: ${
          this.#o.targets
            .list()
            .map(t => t.id)
            .join(', ') || 'none'
        }`,
      );
    }
    if (!target.operations.includes(operation.operation)) {
      throw new InputError(
        `operation: target ${targetId} does not do ${
          operation.operation
        }; it does ${target.operations.join(', ')}`,
      );
    }
    this.#refuseUnwritable(artifact);
    await this.#refuseWithoutContent(artifact);
    await this.#fillBody(artifact, operation);
    const context = await this.#runContext(artifact);
    // A follow-up is requested as its attempt ends; the controller waits for the run to finish.
    if (!options.followUp && !isTerminal(context.run.status?.phase)) {
      throw new ConflictError(
        `Run ${artifact.spec.run} is ${context.run.status?.phase}: write back once it has finished`,
      );
    }
    const refusal = policyRefusal(context.policy, operation.operation);
    if (refusal) {
      throw new ConflictError(refusal);
    }
    const repository = await this.#o.remotes.repositoryOf(
      artifact.spec.repository,
    );
    if (!repository) {
      throw new ConflictError(
        `Artifact ${artifact.metadata.name} names no repository this backend knows`,
      );
    }
    const support = await target.supports(repository);
    if (!support.supported) {
      throw new ConflictError(support.reason);
    }
    const trustTier = await this.#checkWorkspace(artifact, context.run);

    const key = writeBackKey({
      namespace,
      run: artifact.spec.run,
      digest: artifact.spec.digest,
      target: targetId,
      operation,
    });
    const approvalNeeded = needsApproval(context.policy, trustTier);
    const { entry, created } = await this.#o.ledger.insert({
      key,
      namespace,
      artifact: artifact.metadata.name,
      run: artifact.spec.run,
      digest: artifact.spec.digest,
      target: targetId,
      operation,
      state: approvalNeeded ? 'awaiting-approval' : 'approved',
      requestedBy: actor,
    });
    let current = entry;
    if (!created && ['void', 'rejected', 'failed'].includes(entry.state)) {
      // Asked again after it ended without writing: a new approval, or at once.
      await this.#o.ledger.transition(
        key,
        [entry.state],
        approvalNeeded ? 'awaiting-approval' : 'approved',
        { message: '', notBefore: 0 },
      );
      current = (await this.#o.ledger.get(key))!;
    }
    if (
      current.state === 'awaiting-approval' &&
      (created || entry.state !== 'awaiting-approval')
    ) {
      const approval = await this.#openApproval(
        artifact,
        context,
        key,
        targetId,
        operation,
        actor,
      );
      await this.#o.ledger.transition(
        key,
        ['awaiting-approval'],
        'awaiting-approval',
        { approval: approval.metadata.name },
      );
      current = (await this.#o.ledger.get(key))!;
    }
    await this.noteOnArtifact(current);
    if (current.state === 'approved') {
      this.#o.wake();
    }
    const { tries: _tries, ...writeBack } = current;
    return {
      writeBack,
      ...(writeBack.approval ? { approval: writeBack.approval } : {}),
    };
  }

  /**
   * After a review requested changes, the follow-up's new diff goes to the same pull request:
   * each pull request write-back of the reviewed artifact is requested again for the new one, by
   * the same requester, under the same policy (so usually through a new approval).
   */
  async followUp(
    artifact: AgentReviewArtifact,
    previous: AgentReviewArtifact,
  ): Promise<void> {
    if (previous.status?.state !== 'changes-requested') {
      return;
    }
    const entries = await this.#o.ledger.forArtifact(
      previous.metadata.namespace,
      previous.metadata.name,
    );
    for (const entry of entries) {
      if (
        entry.state !== 'applied' ||
        entry.operation.operation !== 'pull-request'
      ) {
        continue;
      }
      try {
        await this.request(
          artifact,
          { target: entry.target, ...entry.operation },
          entry.requestedBy,
          { followUp: true },
        );
      } catch (error) {
        this.#o.logger.warn(
          `Could not request the follow-up write-back of ${artifact.metadata.name} to pull request ${entry.key}: ${error}`,
        );
      }
    }
  }

  /**
   * Refuses a decision on a write-back approval whose artifact is no longer the workspace's diff:
   * the approval becomes void and the caller gets a 409 with the reason.
   */
  async check(approval: AgentApproval): Promise<void> {
    const binding = approval.spec.binding;
    if (!binding) {
      return;
    }
    const { namespace } = approval.metadata;
    let artifact = (await this.#o.store.get(
      'AgentReviewArtifact',
      namespace,
      binding.artifact,
    )) as AgentReviewArtifact | undefined;
    if (
      artifact?.spec.kind === 'patch' &&
      artifact.status?.state !== 'superseded'
    ) {
      const run = (await this.#o.store.get(
        'AgentDispatchRun',
        namespace,
        artifact.spec.run,
      )) as AgentDispatchRun | undefined;
      const current = run && (await this.#o.collector.currentPatch(run));
      if (run && current && current.patch.digest !== binding.digest) {
        await this.#o.collector.collectPatch(run);
        artifact = (await this.#o.store.get(
          'AgentReviewArtifact',
          namespace,
          binding.artifact,
        )) as AgentReviewArtifact | undefined;
      }
    }
    const stale =
      !artifact ||
      artifact.status?.state === 'superseded' ||
      artifact.spec.digest !== binding.digest;
    if (stale) {
      const reason = artifact?.status?.supersededBy
        ? `void — the diff changed: artifact ${binding.artifact} was superseded by ${artifact.status.supersededBy}`
        : `void — the diff changed: artifact ${binding.artifact} is no longer the workspace's diff`;
      await this.#o.approvals.void(approval, reason);
      await this.#voidLedger(namespace, binding.artifact, reason);
      throw new ConflictError(reason);
    }
  }

  /** Voids what was bound to a superseded artifact: its write-backs and their open approvals. */
  async onSuperseded(artifact: AgentReviewArtifact): Promise<void> {
    const reason = artifact.status?.supersededBy
      ? `void — the diff changed: artifact ${artifact.metadata.name} was superseded by ${artifact.status.supersededBy}`
      : `void — the diff changed: ${
          artifact.status?.message ?? 'the workspace moved on'
        }`;
    await this.#voidLedger(
      artifact.metadata.namespace,
      artifact.metadata.name,
      reason,
    );
  }

  async #voidLedger(namespace: string, artifact: string, reason: string) {
    for (const entry of await this.#o.ledger.forArtifact(namespace, artifact)) {
      if (
        !(await this.#o.ledger.transition(
          entry.key,
          ['awaiting-approval', 'approved'],
          'void',
          { message: reason },
        ))
      ) {
        continue;
      }
      if (entry.approval) {
        const approval = await this.#o.approvals.get(namespace, entry.approval);
        if (approval?.status?.state === 'pending') {
          await this.#o.approvals.void(approval, reason);
        }
      }
      await this.noteOnArtifact((await this.#o.ledger.get(entry.key))!);
    }
  }

  /** Keeps the artifact's `status.writeBacks` in step with the ledger row. */
  async noteOnArtifact(entry: WriteBackRecord) {
    await patchStatus(
      this.#o.store,
      {
        kind: 'AgentReviewArtifact',
        namespace: entry.namespace,
        name: entry.artifact,
      },
      status => {
        const others = (status.writeBacks ?? []).filter(
          (w: { key: string }) => w.key !== entry.key,
        );
        return {
          ...status,
          writeBacks: [
            ...others,
            {
              key: entry.key,
              target: entry.target,
              operation: entry.operation.operation,
              state: entry.state,
              ...(entry.approval ? { approval: entry.approval } : {}),
            },
          ],
        };
      },
      COLLECTOR_ACTOR,
    ).catch(error =>
      this.#o.logger.warn(
        `Could not note write-back ${entry.key} on ${entry.artifact}: ${error}`,
      ),
    );
  }

  /** A patch kept without its content (too large, or holding a secret) has nothing to write. */
  async #refuseWithoutContent(artifact: AgentReviewArtifact) {
    if (artifact.spec.kind !== 'patch') return;
    const { namespace, name } = artifact.metadata;
    if (await this.#o.contents.get(namespace, name)) return;
    throw new ConflictError(
      `Artifact ${name} has no content to write back${
        artifact.status?.message ? `: ${artifact.status.message}` : ''
      }`,
    );
  }

  #refuseUnwritable(artifact: AgentReviewArtifact) {
    const state = artifact.status?.state ?? 'pending';
    const ref = `Artifact ${artifact.metadata.name}`;
    if (state === 'superseded') {
      throw new ConflictError(
        `${ref} is void — the diff changed${
          artifact.status?.supersededBy
            ? `: artifact ${artifact.status.supersededBy} has the new diff`
            : ''
        }`,
      );
    }
    if (state === 'changes-requested') {
      throw new ConflictError(
        `${ref}: changes were requested (${
          artifact.status?.message ?? 'a review'
        }); write back the artifact of the follow-up instead`,
      );
    }
    if (state === 'pending') {
      throw new ConflictError(`${ref} is not ready yet`);
    }
  }

  async #fillBody(
    artifact: AgentReviewArtifact,
    operation: WriteBackOperation,
  ) {
    const isPatch = artifact.spec.kind === 'patch';
    if (PATCH_OPERATIONS.has(operation.operation) && !isPatch) {
      throw new InputError(
        `operation: only a patch artifact can be pushed; ${artifact.metadata.name} is a ${artifact.spec.kind}`,
      );
    }
    if (
      TEXT_OPERATIONS.has(operation.operation) &&
      operation.body === undefined
    ) {
      if (isPatch) {
        throw new InputError(
          `body: ${operation.operation} of a patch needs a body`,
        );
      }
      const stored = await this.content(artifact);
      if (!stored) {
        throw new ConflictError(
          `Artifact ${artifact.metadata.name} has no stored content`,
        );
      }
      operation.body = stored.content;
    }
  }

  async #runContext(artifact: AgentReviewArtifact): Promise<RunContext> {
    const { namespace } = artifact.metadata;
    const run = (await this.#o.store.get(
      'AgentDispatchRun',
      namespace,
      artifact.spec.run,
    )) as AgentDispatchRun | undefined;
    if (!run) {
      throw new NotFoundError(
        `AgentDispatchRun ${namespace}/${artifact.spec.run} not found`,
      );
    }
    const attemptName = artifact.spec.attempt ?? run.status?.currentAttempt;
    const attempt = attemptName
      ? ((await this.#o.store.get(
          'AgentDispatchAttempt',
          namespace,
          attemptName,
        )) as AgentDispatchAttempt | undefined)
      : undefined;
    const profile = attempt?.spec.launchProfile as
      | Record<string, any>
      | undefined;
    return {
      run,
      policy: profile?.writeBackPolicy,
      allowSelfApproval: Boolean(profile?.allowSelfApproval),
      approvers: profile?.approvers,
      stack: run.spec.stack,
    };
  }

  /** Refuses a patch write-back the workspace cannot give; answers the workspace's trust tier. */
  async #checkWorkspace(
    artifact: AgentReviewArtifact,
    run: AgentDispatchRun,
  ): Promise<string | undefined> {
    if (artifact.spec.kind !== 'patch') {
      return (await this.#o.collector.workspaceOf(run))?.spec.trustTier;
    }
    const current = await this.#o.collector.currentPatch(run);
    if (!current) {
      throw new ConflictError(
        `The workspace of run ${run.metadata.name} is gone: nothing to push`,
      );
    }
    const blocked = await this.#o.remotes.workspaceBlock(current.workspace);
    if (blocked) {
      throw new ConflictError(blocked);
    }
    if (current.patch.digest !== artifact.spec.digest) {
      const newer = await this.#o.collector.collectPatch(run);
      throw new ConflictError(
        `The workspace changed since artifact ${
          artifact.metadata.name
        } was taken (it is dirty beyond the artifact)${
          newer ? `: its diff is now artifact ${newer.metadata.name}` : ''
        }; request write-back of the current diff`,
      );
    }
    return current.workspace.spec.trustTier;
  }

  async #openApproval(
    artifact: AgentReviewArtifact,
    context: RunContext,
    key: string,
    target: string,
    operation: WriteBackOperation,
    actor: string,
  ) {
    const { policy } = context;
    const repository = artifact.spec.repository;
    let approvers = context.approvers ?? [];
    if (approvers.length === 0 && repository) {
      approvers = await this.#o.repositoryOwners(repository).catch(() => []);
    }
    const where =
      operation.branch ?? (operation.number ? `#${operation.number}` : '');
    return this.#o.approvals.open({
      namespace: artifact.metadata.namespace,
      run: artifact.spec.run,
      ...(repository ? { repository } : {}),
      actionClass: 'write-back',
      target: `${target} ${operation.operation}${where ? ` ${where}` : ''}`,
      detail: {
        artifact: artifact.metadata.name,
        digest: artifact.spec.digest,
        ...(artifact.spec.stat ? { stat: artifact.spec.stat } : {}),
      },
      requester: actor,
      policySource: `AgentStack/${context.stack ?? 'unknown'}.writeBackPolicy`,
      requesterMayApprove: context.allowSelfApproval,
      approvers,
      requiredApprovals: policy?.requiredApprovals,
      ...(policy?.expireAfterMinutes
        ? { expireAfterMs: policy.expireAfterMinutes * 60_000 }
        : {}),
      expiryAction: policy?.expiryAction ?? 'reject',
      binding: {
        artifact: artifact.metadata.name,
        digest: artifact.spec.digest,
        writeBack: key,
        target,
        operation: boundOperation(operation),
      },
      labels: { [RUN_LABEL]: artifact.spec.run },
    });
  }
}
