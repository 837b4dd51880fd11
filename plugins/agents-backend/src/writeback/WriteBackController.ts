import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import {
  AgentDispatchRun,
  AgentReviewArtifact,
  WriteBackResult,
} from '@krate/plugin-agents-common';
import { WriteBackError } from '@krate/plugin-agents-node';
import { ApprovalService } from '../approvals/ApprovalService';
import { AuditStore } from '../database/AuditStore';
import { contextBundleName, isTerminal } from '../dispatch/names';
import { patchStatus } from '../dispatch/patchStatus';
import { ResourceStore } from '../resources/ResourceStore';
import { ArtifactCollector, COLLECTOR_ACTOR } from './ArtifactCollector';
import { RepositoryRemotes } from './RepositoryRemotes';
import { WorkspacePush } from './WorkspacePush';
import { writeBackMarker } from './writeBackKey';
import { LedgerEntry, WriteBackLedger } from './WriteBackLedger';
import { WriteBackService } from './WriteBackService';
import { WriteBackTargets } from './WriteBackTargets';

/** The workspace moved on between approval and push: the write-back is void, not failed. */
class SupersededError extends Error {}

/** Where a waiting write-back goes once its approval is no longer pending. */
function ledgerStateAfter(
  approvalState: string,
  expiryAction: string | undefined,
): 'approved' | 'rejected' | 'void' {
  if (approvalState === 'approved') return 'approved';
  if (approvalState === 'rejected') return 'rejected';
  if (approvalState === 'expired' && expiryAction !== 'void') return 'rejected';
  return 'void';
}

/** Tries of a write-back that keeps failing with retryable errors before it is failed. */
const MAX_TRIES = 5;

export interface WriteBackControllerOptions {
  store: ResourceStore;
  ledger: WriteBackLedger;
  service: WriteBackService;
  collector: ArtifactCollector;
  approvals: ApprovalService;
  targets: WriteBackTargets;
  remotes: RepositoryRemotes;
  push: WorkspacePush;
  audit: AuditStore;
  auditor?: AuditorService;
  logger: LoggerService;
  /** This instance, as lease owner. */
  owner: string;
  leaseMs: number;
  now?: () => number;
}

/**
 * The approval/write-back controller. Level-triggered: each pass follows every waiting
 * write-back's approval (approved, rejected, expired, void) and applies each approved one whose
 * lease it can take — so a decision on another replica, a missed wake-up or a crash mid-apply is
 * picked up by the next pass. Before a target writes, the artifact is checked against the
 * workspace once more; targets reconcile with the forge before they create anything.
 */
export class WriteBackController {
  readonly #o: WriteBackControllerOptions;
  readonly #now: () => number;
  #pass?: Promise<void>;
  #again = false;

  constructor(options: WriteBackControllerOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  /** Runs a pass now (or right after the one in flight). */
  wake(): void {
    if (this.#pass) {
      this.#again = true;
      return;
    }
    this.#pass = this.#loop().finally(() => {
      this.#pass = undefined;
    });
  }

  /** A pass once a deferred write-back is due (the periodic pass catches it too). */
  #wakeIn(ms: number) {
    setTimeout(() => this.wake(), ms + 10).unref();
  }

  /** Resolves when no pass is running. */
  async idle(): Promise<void> {
    while (this.#pass) {
      await this.#pass;
    }
  }

  async #loop() {
    do {
      this.#again = false;
      try {
        await this.pass();
      } catch (error) {
        this.#o.logger.error(`Write-back pass failed: ${error}`);
      }
    } while (this.#again);
  }

  /** One reconcile pass; answers how many write-backs it applied or ended. */
  async pass(): Promise<number> {
    let handled = 0;
    for (const entry of await this.#o.ledger.awaiting(200)) {
      if (await this.#followApproval(entry)) {
        handled += 1;
      }
    }
    for (const entry of await this.#o.ledger.due(20)) {
      if (
        await this.#o.ledger.claim(entry.key, this.#o.owner, this.#o.leaseMs)
      ) {
        await this.#apply((await this.#o.ledger.get(entry.key))!);
        handled += 1;
      }
    }
    return handled;
  }

  async #followApproval(entry: LedgerEntry): Promise<boolean> {
    if (!entry.approval) {
      return false;
    }
    let approval = await this.#o.approvals.get(entry.namespace, entry.approval);
    if (approval && (await this.#o.approvals.expireIfDue(approval))) {
      approval = await this.#o.approvals.get(entry.namespace, entry.approval);
    }
    const state = approval?.status?.state ?? 'void';
    if (state === 'pending') {
      return false;
    }
    const to = ledgerStateAfter(state, approval?.spec.expiryAction);
    const message =
      state === 'approved'
        ? `Approved by ${
            (approval?.status?.approvals ?? []).map(a => a.by).join(', ') ||
            approval?.status?.decidedBy
          }`
        : approval?.status?.reason ?? `The approval is ${state}`;
    if (
      !(await this.#o.ledger.transition(entry.key, ['awaiting-approval'], to, {
        message,
      }))
    ) {
      return false;
    }
    // A void request leaves the artifact as it was: ready to be asked again.
    await this.#setArtifact(entry, {
      state: to === 'void' ? 'ready' : to,
      message,
    });
    await this.#o.service.noteOnArtifact({ ...entry, state: to });
    return true;
  }

  async #apply(entry: LedgerEntry) {
    const { namespace } = entry;
    const logger = this.#o.logger.child({ writeBack: entry.key });
    const artifact = (await this.#o.store.get(
      'AgentReviewArtifact',
      namespace,
      entry.artifact,
    )) as AgentReviewArtifact | undefined;
    const run = (await this.#o.store.get(
      'AgentDispatchRun',
      namespace,
      entry.run,
    )) as AgentDispatchRun | undefined;
    const target = this.#o.targets.get(entry.target);
    if (!artifact || !run || !target) {
      await this.#finish(entry, 'failed', {
        message: !target
          ? `Write-back target '${entry.target}' is not registered on this backend`
          : `Artifact ${entry.artifact} or run ${entry.run} is gone`,
      });
      return;
    }
    if (!isTerminal(run.status?.phase)) {
      // A follow-up approved while its attempt is still ending: apply once the run is done.
      await this.#o.ledger.finish(entry.key, this.#o.owner, 'approved', {
        message: `Waiting for run ${entry.run} to finish`,
        notBefore: this.#now() + 2000,
      });
      this.#wakeIn(2000);
      return;
    }
    if (artifact.status?.state === 'superseded') {
      await this.#finish(entry, 'void', {
        message: `void — the diff changed: artifact ${entry.artifact} was superseded`,
      });
      return;
    }
    await this.#setArtifact(entry, {
      state: 'applying',
      message: `Applying ${entry.target} ${entry.operation.operation}`,
    });
    await this.#o.service.noteOnArtifact({ ...entry, state: 'applying' });
    const controller = new AbortController();
    try {
      const repository = await this.#o.remotes.repositoryOf(
        artifact.spec.repository,
      );
      if (!repository) {
        throw new WriteBackError(
          `Repository ${artifact.spec.repository} is not known to this backend`,
        );
      }
      const results = await target.apply({
        key: entry.key,
        marker: writeBackMarker(entry.key),
        repository,
        operation: entry.operation,
        artifact: {
          name: artifact.metadata.name,
          kind: artifact.spec.kind,
          digest: artifact.spec.digest,
          title: artifact.spec.title,
          run: entry.run,
        },
        pushBranch: branch =>
          this.#pushBranch(artifact, run, repository, branch),
        signal: controller.signal,
        logger,
      });
      await this.#applied(entry, artifact, run, results);
    } catch (error) {
      await this.#failed(entry, error, logger);
    }
  }

  /** Checks the workspace still has exactly the artifact's diff, commits it and pushes it. */
  async #pushBranch(
    artifact: AgentReviewArtifact,
    run: AgentDispatchRun,
    repository: { name: string; url?: string },
    branch: string,
  ): Promise<WriteBackResult> {
    if (artifact.spec.kind !== 'patch') {
      throw new WriteBackError(`Only a patch artifact can be pushed`);
    }
    if (!repository.url) {
      throw new WriteBackError(`${repository.name} has no remote to push to`);
    }
    const current = await this.#o.collector.currentPatch(run);
    if (!current) {
      throw new WriteBackError(
        `The workspace of run ${run.metadata.name} is gone`,
      );
    }
    const blocked = await this.#o.remotes.workspaceBlock(current.workspace);
    if (blocked) {
      throw new WriteBackError(blocked);
    }
    if (current.patch.digest !== artifact.spec.digest) {
      await this.#o.collector.collectPatch(run);
      throw new SupersededError(
        `void — the diff changed: the workspace no longer has artifact ${artifact.metadata.name}'s diff`,
      );
    }
    const worktree = current.workspace.spec.path!;
    const commit = await this.#o.push.commitUncommitted(
      worktree,
      [
        artifact.spec.title ?? `Changes of run ${run.metadata.name}`,
        '',
        `Krate-Run: ${run.metadata.namespace}/${run.metadata.name}`,
        `Krate-Artifact: ${artifact.metadata.name} ${artifact.spec.digest}`,
      ].join('\n'),
    );
    return this.#o.push.push({
      worktree,
      remote: repository.url,
      commit,
      branch,
      credentials: await this.#o.remotes.credentialsFor(
        repository.name,
        repository.url,
      ),
    });
  }

  async #applied(
    entry: LedgerEntry,
    artifact: AgentReviewArtifact,
    run: AgentDispatchRun,
    results: WriteBackResult[],
  ) {
    if (
      !(await this.#o.ledger.finish(entry.key, this.#o.owner, 'applied', {
        results,
        message: '',
      }))
    ) {
      this.#o.logger.warn(
        `Write-back ${entry.key} lost its lease while applying; the next holder reconciles`,
      );
      this.#wakeIn(this.#o.leaseMs);
      return;
    }
    const approval = entry.approval
      ? await this.#o.approvals.get(entry.namespace, entry.approval)
      : undefined;
    const approvers = (approval?.status?.approvals ?? []).map(a => a.by);
    if (approvers.length === 0 && approval?.status?.decidedBy) {
      approvers.push(approval.status.decidedBy);
    }
    const source = run.spec.source;
    const provenance = {
      actor: entry.requestedBy,
      approvers,
      ...(source?.kind
        ? {
            sourceEvent: source.name
              ? `${source.kind}/${source.name}`
              : source.kind,
          }
        : {}),
      ...(run.status?.profileDigest
        ? { stackDigest: run.status.profileDigest }
        : {}),
      ...(await this.#contextDigest(run)),
      artifactDigest: artifact.spec.digest,
    };
    const now = new Date(this.#now()).toISOString();
    const last = results[results.length - 1];
    await this.#setArtifact(entry, {
      state: 'applied',
      message: `Applied: ${entry.target} ${entry.operation.operation}`,
      appliedTime: now,
      ...(last?.url || last?.ref ? { appliedRef: last.url ?? last.ref } : {}),
      provenance,
      addResults: results,
    });
    await this.#o.service.noteOnArtifact({ ...entry, state: 'applied' });
    await this.#o.audit.append({
      actor: entry.requestedBy,
      action: `write-back:${entry.target}:${entry.operation.operation}`,
      target: {
        kind: 'AgentReviewArtifact',
        namespace: entry.namespace,
        name: entry.artifact,
      },
      afterDigest: artifact.spec.digest,
    });
    if (this.#o.auditor) {
      const event = await this.#o.auditor.createEvent({
        eventId: 'write-back-apply',
        severityLevel: 'high',
        meta: {
          namespace: entry.namespace,
          artifact: entry.artifact,
          run: entry.run,
          target: entry.target,
          operation: entry.operation.operation,
          digest: artifact.spec.digest,
          approvers: provenance.approvers.join(','),
          results: results.map(r => r.url ?? r.ref ?? '').join(' '),
        },
      });
      await event.success();
    }
    // Last: the run showing the write-back says everything else is recorded.
    await patchStatus(
      this.#o.store,
      { kind: 'AgentDispatchRun', namespace: entry.namespace, name: entry.run },
      ({ review, ...status }) => ({
        ...status,
        // The follow-up reached the reviewed pull request: the review is answered.
        ...(review &&
        !(
          entry.operation.operation === 'pull-request' &&
          review.artifact !== entry.artifact
        )
          ? { review }
          : {}),
        writeBacks: [
          ...(status.writeBacks ?? []).filter(
            (w: { key: string }) => w.key !== entry.key,
          ),
          {
            key: entry.key,
            artifact: entry.artifact,
            target: entry.target,
            operation: entry.operation.operation,
            state: 'applied',
            results,
            provenance,
          },
        ].slice(-50),
      }),
      COLLECTOR_ACTOR,
    );
  }

  async #failed(entry: LedgerEntry, error: unknown, logger: LoggerService) {
    const message = (error as Error).message ?? String(error);
    if (error instanceof SupersededError) {
      await this.#finish(entry, 'void', { message });
      return;
    }
    const retryable = error instanceof WriteBackError && error.retryable;
    if (retryable && entry.tries < MAX_TRIES) {
      const delay =
        (error as WriteBackError).retryAfterMs ??
        Math.min(60_000, 1000 * 2 ** entry.tries);
      logger.warn(`Write-back will be tried again in ${delay} ms: ${message}`);
      await this.#o.ledger.finish(entry.key, this.#o.owner, 'approved', {
        message: `Retrying: ${message}`,
        notBefore: this.#now() + delay,
      });
      this.#wakeIn(delay);
      return;
    }
    logger.warn(`Write-back failed: ${message}`);
    await this.#finish(entry, 'failed', { message });
  }

  async #finish(
    entry: LedgerEntry,
    to: 'failed' | 'void',
    fields: { message: string },
  ) {
    if (!(await this.#o.ledger.finish(entry.key, this.#o.owner, to, fields))) {
      return;
    }
    await this.#setArtifact(entry, {
      state: to === 'failed' ? 'failed' : undefined,
      message: fields.message,
    });
    await this.#o.service.noteOnArtifact({ ...entry, state: to });
  }

  async #contextDigest(run: AgentDispatchRun) {
    const attempt = run.status?.currentAttempt;
    if (!attempt) {
      return {};
    }
    const bundle = (await this.#o.store.get(
      'AgentContextBundle',
      run.metadata.namespace,
      contextBundleName(attempt),
    )) as { spec?: { digest?: string } } | undefined;
    return bundle?.spec?.digest ? { contextDigest: bundle.spec.digest } : {};
  }

  async #setArtifact(
    entry: LedgerEntry,
    change: {
      state?: string;
      message?: string;
      appliedTime?: string;
      appliedRef?: string;
      provenance?: Record<string, unknown>;
      addResults?: WriteBackResult[];
    },
  ) {
    const { addResults, ...fields } = change;
    await patchStatus(
      this.#o.store,
      {
        kind: 'AgentReviewArtifact',
        namespace: entry.namespace,
        name: entry.artifact,
      },
      status => {
        if (status.state === 'superseded') {
          return status;
        }
        const next: Record<string, any> = { ...status };
        for (const [key, value] of Object.entries(fields)) {
          if (value !== undefined) next[key] = value;
        }
        if (addResults) {
          next.results = [...(status.results ?? []), ...addResults].slice(-20);
        }
        return next;
      },
      COLLECTOR_ACTOR,
    ).catch(error =>
      this.#o.logger.warn(
        `Could not update artifact ${entry.artifact}: ${error}`,
      ),
    );
  }
}
