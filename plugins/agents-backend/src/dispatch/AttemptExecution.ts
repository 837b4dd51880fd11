import {
  AgentDispatchAttempt,
  AgentDispatchRun,
  AgentsObject,
  AGENTS_API_GROUP_VERSION,
  BUDGET_EXCEEDED_REASON,
} from '@krate/plugin-agents-common';
import {
  AgentAttemptOutcome,
  AgentAttemptStop,
  AgentLaunch,
  LaunchProfile,
  LaunchSecrets,
} from '@krate/plugin-agents-node';
import { ConflictError } from '@backstage/errors';
import { AttemptLeaseRow } from '../database/AttemptLeases';
import { AttemptEventWriter } from './AttemptEventWriter';
import { AttemptHost } from './AttemptHost';
import { DISPATCHER_ACTOR, DispatchParts } from './DispatchParts';
import {
  ATTEMPT_LABEL,
  contextBundleName,
  isTerminal,
  RUN_LABEL,
  runtimeLabels,
  sessionRecordName,
} from './names';
import { reattachmentOf } from './reattachment';
import { endAttempt } from './endAttempt';
import { Redactor } from './Redactor';

export type ExecutionEnd = 'finished' | 'lease-lost' | 'shutdown';

/**
 * Drives one attempt whose lease this instance holds: prepares its working directory and context
 * bundle, runs it on its runtime (or re-attaches after a restart), renews the lease, and writes
 * the outcome. Whatever happens, the attempt ends in a terminal phase with a reason, unless the
 * lease was lost (another instance owns it now) or the backend is shutting down (the next
 * instance recovers it).
 */
export class AttemptExecution {
  readonly #parts: DispatchParts;
  readonly #lease: AttemptLeaseRow;
  readonly #abort = new AbortController();
  #stopReason?: 'cancel' | 'lease-lost' | 'shutdown' | 'budget';
  /** Which budget stopped the attempt, with its spend and limit. */
  #budgetMessage?: string;
  /** The runtime has answered its outcome: a cap its last cost report crosses stops nothing. */
  #returned = false;

  constructor(parts: DispatchParts, lease: AttemptLeaseRow) {
    this.#parts = parts;
    this.#lease = lease;
  }

  get key() {
    return `${this.#lease.namespace}/${this.#lease.attempt}`;
  }

  get run() {
    return { namespace: this.#lease.namespace, name: this.#lease.run };
  }

  /** Asks the runtime to stop; the attempt ends Cancelled. */
  cancel() {
    this.#stop('cancel');
  }

  /** Stops without an outcome: the attempt is recovered by the next instance. */
  shutdown() {
    this.#stop('shutdown');
  }

  /** Called when a renewal finds the lease gone or a cancel requested. */
  async renew(): Promise<void> {
    const { held, cancelRequested } = await this.#parts.leases.renew(
      this.#lease,
    );
    if (!held) {
      this.#stop('lease-lost');
    } else if (cancelRequested) {
      this.#stop('cancel');
    }
  }

  /** A hard-capped budget the attempt is charged to reached its limit: it ends Failed. */
  stopForBudget(message: string) {
    if (this.#returned) return;
    if (!this.#stopReason) this.#budgetMessage = message;
    // Runtimes know of cancels only; the outcome is rewritten to BudgetExceeded at the end.
    this.#stop('budget');
  }

  #stop(reason: 'cancel' | 'lease-lost' | 'shutdown' | 'budget') {
    if (!this.#stopReason) {
      this.#stopReason = reason;
      this.#abort.abort(
        new AgentAttemptStop(reason === 'budget' ? 'cancel' : reason),
      );
    }
  }

  async execute(): Promise<ExecutionEnd> {
    const { store, leases } = this.#parts;
    const { namespace } = this.#lease;
    // At once, not one after the other: each read waits its turn on a busy backend.
    const [attempt, run, lastSeq] = (await Promise.all([
      store.get('AgentDispatchAttempt', namespace, this.#lease.attempt),
      store.get('AgentDispatchRun', namespace, this.#lease.run),
      this.#parts.events.lastSeq({ namespace, run: this.#lease.run }),
    ])) as [
      AgentDispatchAttempt | undefined,
      AgentDispatchRun | undefined,
      number,
    ];
    if (!attempt || !run) {
      await leases.release(this.#lease);
      return 'finished';
    }
    if (isTerminal(attempt.status?.phase)) {
      // Its instance may have stopped between ending the attempt and ending the run.
      await endAttempt(this.#parts, {
        attempt,
        run,
        outcome: attempt.status as AgentAttemptOutcome,
      });
      return 'finished';
    }
    if (this.#lease.cancelRequested) {
      await this.#finish(attempt, run, undefined, {
        phase: 'Cancelled',
        reason: 'Cancelled',
        message: 'Cancelled before it started',
      });
      return 'finished';
    }

    const profile = attempt.spec.launchProfile as LaunchProfile;
    const { secrets, failure } = await this.#resolveSecrets(profile);
    // The values live in this launch and this redactor only: never stored, never in an event.
    const redactor = this.#parts.redactor.with(secrets?.values ?? []);
    const host = new AttemptHost({
      parts: this.#parts,
      attempt,
      run,
      profile,
      nextSeq: lastSeq + 1,
      signal: this.#abort.signal,
      redactor,
      onBudgetExceeded: message => this.stopForBudget(message),
    });
    const writer = host.writer;

    let outcome: AgentAttemptOutcome;
    try {
      const launch =
        failure ?? (await this.#prepare(attempt, run, profile, host));
      if ('phase' in launch) {
        outcome = launch;
      } else {
        outcome = await this.#runOnRuntime(
          attempt,
          secrets ? { ...launch, secrets } : launch,
          host,
        );
      }
    } catch (error) {
      outcome = {
        phase: 'Failed',
        reason: 'DispatchError',
        message: (error as Error).message,
      };
    }
    this.#returned = true;

    if (this.#stopReason === 'lease-lost' || this.#stopReason === 'shutdown') {
      await writer.drain().catch(() => undefined);
      await host.settle();
      if (this.#stopReason === 'shutdown') {
        await leases.expireNow(this.#lease);
      }
      return this.#stopReason;
    }
    if (this.#stopReason === 'budget') {
      outcome = {
        phase: 'Failed',
        reason: BUDGET_EXCEEDED_REASON,
        message: `Stopped: ${this.#budgetMessage}`,
      };
    }
    if (this.#stopReason === 'cancel' && outcome.phase !== 'Cancelled') {
      outcome = {
        phase: 'Cancelled',
        reason: 'Cancelled',
        message: `Cancelled (the runtime reported ${outcome.reason})`,
      };
    }
    await this.#finish(
      attempt,
      run,
      { writer, host },
      secrets?.values.length ? withRedactedMessage(outcome, redactor) : outcome,
    );
    return 'finished';
  }

  /**
   * The values granted to the attempt's consumers, or the outcome that fails it: a key that is
   * not granted or not held (readiness blocks dispatch for that, but a grant may lapse between).
   */
  async #resolveSecrets(
    profile: LaunchProfile,
  ): Promise<{ secrets?: LaunchSecrets; failure?: AgentAttemptOutcome }> {
    const resolver = this.#parts.launchSecrets;
    if (!resolver) return {};
    try {
      return {
        secrets: await resolver.resolve(this.#lease.namespace, profile),
      };
    } catch (error) {
      return {
        failure: {
          phase: 'Failed',
          reason: 'SecretUnavailable',
          message: (error as Error).message,
        },
      };
    }
  }

  async #runOnRuntime(
    attempt: AgentDispatchAttempt,
    launch: AgentLaunch,
    host: AttemptHost,
  ): Promise<AgentAttemptOutcome> {
    const runtime = this.#parts.runtimes.get(attempt.spec.runtime);
    if (!runtime) {
      return {
        phase: 'Failed',
        reason: 'RuntimeNotRegistered',
        message: `No runtime '${attempt.spec.runtime}' is registered on this backend`,
      };
    }
    try {
      return await runtime.run(launch, host);
    } catch (error) {
      return {
        phase: this.#stopReason === 'cancel' ? 'Cancelled' : 'Failed',
        reason: this.#stopReason === 'cancel' ? 'Cancelled' : 'RuntimeError',
        message: (error as Error).message,
      };
    }
  }

  /** Builds the launch, or answers an outcome when the attempt cannot (or can no longer) run. */
  async #prepare(
    attempt: AgentDispatchAttempt,
    run: AgentDispatchRun,
    profile: LaunchProfile,
    host: AttemptHost,
  ): Promise<AgentLaunch | AgentAttemptOutcome> {
    const { namespace, name } = attempt.metadata;
    const runtime = this.#parts.runtimes.get(attempt.spec.runtime);
    const startsOver =
      runtime?.capabilities.startsOverWhenUnbound &&
      !attempt.status?.runtimeRunId;
    const resumed =
      !startsOver &&
      (attempt.status?.phase === 'Running' ||
        attempt.status?.phase === 'Waiting');
    const workingDirectory = await this.#parts.directories.resolve({
      namespace,
      run: run.metadata.name,
      workspace: attempt.spec.workspace,
    });
    const base = {
      namespace,
      run: run.metadata.name,
      attempt: name,
      attemptKind: attempt.spec.kind,
      profile,
      workingDirectory,
      sessionId: attempt.status?.sessionId ?? attempt.spec.sessionId,
    };

    if (resumed) {
      // The instance that drove this attempt stopped without finishing it.
      const runtimeRunId = attempt.status?.runtimeRunId;
      if (!runtime?.capabilities.reattach || !runtimeRunId) {
        return {
          phase: 'Failed',
          reason: 'RuntimeLost',
          message: `The backend instance driving this attempt stopped (${
            this.#lease.owner ?? 'unknown'
          }); the ${
            attempt.spec.runtime
          } runtime cannot re-attach to its work. Retry or resume the run.`,
        };
      }
      host.emit({
        type: 'warning',
        code: 'Reattached',
        message: `Backend restarted: re-attached to runtime run ${runtimeRunId} after runtime seq ${
          this.#lease.runtimeSeq
        }`,
      });
      const bundle = (await this.#parts.store.get(
        'AgentContextBundle',
        namespace,
        contextBundleName(name),
      )) as any;
      return {
        ...base,
        prompt:
          bundle?.spec.parts.find((p: any) => p.kind === 'prompt')?.content ??
          '',
        reattach: await reattachmentOf(this.#parts, attempt, {
          runtimeRunId,
          lastRuntimeSeq: this.#lease.runtimeSeq,
        }),
      };
    }

    if (run.spec.repository && !attempt.spec.workspace) {
      host.emit({
        type: 'warning',
        code: 'RepositoryNotCloned',
        message: `${run.spec.repository} is not a repository this backend knows (no clone under the repository roots, no agents.repositories entry, no catalog source location); the attempt works in an empty scratch directory`,
      });
    }
    const assembled = await this.#parts.contexts.assemble({
      namespace,
      run: run.metadata.name,
      attempt: name,
      bundleName: contextBundleName(name),
      repository: run.spec.repository,
      prompt: attempt.spec.prompt ?? run.spec.prompt,
      profile,
      contextLabels: run.spec.contextLabels ?? [],
      workingDirectory,
      memorySnapshot: run.spec.memorySnapshot ?? null,
    });
    await Promise.all([
      this.#createOrKeep(assembled.bundle),
      this.#openSession(attempt, run),
    ]);
    const started = new Date().toISOString();
    host.emit({
      type: 'attempt_phase',
      phase: 'Running',
      reason: 'SessionBindingPending',
      message: `Started on ${attempt.spec.runtime} in ${workingDirectory}`,
    });
    // Lazy: they go with the session binding that usually follows at once (the event above
    // tells live views now), or on their own within a second.
    void host.updateAttempt(
      status => ({
        ...status,
        phase: 'Running',
        reason: 'SessionBindingPending',
        message: 'Waiting for the runtime to report its session',
        startTime: started,
      }),
      { lazy: true },
    );
    void host.updateRun(
      status => ({
        ...status,
        phase: 'Running',
        reason: 'SessionBindingPending',
        message: `Attempt ${name} started`,
        startTime: status.startTime ?? started,
        currentAttempt: name,
      }),
      { lazy: true },
    );
    return {
      ...base,
      prompt: assembled.prompt,
      profile: { ...profile, systemPrompt: assembled.systemPrompt },
    };
  }

  /** Creates it unless it exists (an earlier instance began this attempt). */
  async #createOrKeep(object: AgentsObject) {
    try {
      await this.#parts.store.create(object, { actor: DISPATCHER_ACTOR });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }

  async #openSession(attempt: AgentDispatchAttempt, run: AgentDispatchRun) {
    await this.#createOrKeep({
      apiVersion: AGENTS_API_GROUP_VERSION,
      kind: 'AgentSession',
      metadata: {
        name: sessionRecordName(attempt.metadata.name),
        namespace: attempt.metadata.namespace,
        labels: {
          [RUN_LABEL]: run.metadata.name,
          [ATTEMPT_LABEL]: attempt.metadata.name,
          ...runtimeLabels(attempt.spec.runtime),
        },
      },
      spec: {
        runtime: attempt.spec.runtime,
        run: run.metadata.name,
        attempt: attempt.metadata.name,
        stack: attempt.spec.stack,
        ...(run.spec.repository ? { repository: run.spec.repository } : {}),
      },
      status: {
        state: attempt.spec.sessionId ? 'active' : 'binding-pending',
        ...(attempt.spec.sessionId
          ? { sessionId: attempt.spec.sessionId }
          : {}),
        ...(run.spec.workspace ? { workspaceRef: run.spec.workspace } : {}),
        lastActivityTime: new Date().toISOString(),
      },
    });
  }

  /** What the attempt wrote under `.krate/memory/`, proposed as a memory update. */
  async #importMemory(
    attempt: AgentDispatchAttempt,
    run: AgentDispatchRun,
    host: AttemptHost,
  ) {
    try {
      await this.#parts.memoryImports?.importAttempt({
        attempt,
        run,
        emit: event => host.emit(event),
      });
    } catch (error) {
      host.emit({
        type: 'warning',
        code: 'MemoryNotImported',
        message: `The memory files of the attempt could not be proposed: ${
          (error as Error).message
        }`,
      });
    }
  }

  async #finish(
    attempt: AgentDispatchAttempt,
    run: AgentDispatchRun,
    live: { writer: AttemptEventWriter; host: AttemptHost } | undefined,
    reported: AgentAttemptOutcome,
  ) {
    let outcome = reported;
    if (live && outcome.phase === 'Succeeded') {
      await this.#importMemory(attempt, run, live.host);
    }
    // What the attempt leaves for review; its warnings still go to the log.
    await live?.host.collectArtifacts();
    // The runtime has returned: whatever its host still reports from now on (a gate decided or
    // expired as the attempt ended) must not land after the attempt's end.
    live?.writer.close();
    await live?.writer.drain().catch(error => {
      outcome = {
        phase: 'Failed',
        reason: 'EventLogUnavailable',
        message: (error as Error).message,
      };
    });
    // The artifacts it recorded are on the run before the run shows as finished; its last cost
    // goes with the end.
    await live?.host.settle({ keepLazy: true });
    await endAttempt(this.#parts, {
      attempt,
      run,
      outcome,
      statuses: live?.host.statuses,
    });
  }
}

/** A runtime's failure message may quote what it was given. */
function withRedactedMessage(
  outcome: AgentAttemptOutcome,
  redactor: Redactor,
): AgentAttemptOutcome {
  return outcome.message === undefined
    ? outcome
    : { ...outcome, message: redactor.redact(outcome.message).text };
}
