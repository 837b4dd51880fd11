import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AgentAttemptHost,
  AgentAttemptOutcome,
  AgentAttemptStop,
  AgentLaunch,
  AgentReattach,
} from '@krate/plugin-agents-node';
import { maskLaunchSecrets } from '../maskLaunchSecrets';
import { AgentMuxClient } from './AgentMuxClient';
import { AgentMuxEventMapper } from './AgentMuxEventMapper';
import { agentMuxOutcome } from './agentMuxOutcome';
import { agentMuxRunOptions } from './agentMuxRunOptions';
import { ApprovalHolds, ApprovedAction } from './ApprovalHolds';
import { AttemptBudget } from './AttemptBudget';
import { continuationPrompt } from './continuationPrompt';
import { GatewayError } from './GatewayError';
import { RunFinalized } from './gatewayProtocol';
import { HookResponder } from './HookResponder';
import { InactivityWatchdog } from './InactivityWatchdog';
import { RunStream, RunStreamOptions } from './RunStream';
import { generateUlid, isUlid } from './ulid';

/** Settings of one attempt on the gateway. */
export interface AgentMuxAttemptOptions {
  client: AgentMuxClient;
  token: string;
  agent: string;
  logger: LoggerService;
  hookTimeoutSafetyMs: number;
  cancelTimeoutMs: number;
  /** How long a run the gateway reports as running may send nothing before it counts as lost. */
  inactivityMs: number;
  stream: Pick<
    RunStreamOptions,
    'reconnectDelayMs' | 'giveUpAfterMs' | 'pingIntervalMs'
  >;
}

type RunEnd =
  | { kind: 'finalized'; event: RunFinalized }
  | { kind: 'fatal'; error: GatewayError }
  | { kind: 'aborted' }
  | { kind: 'timedOut' }
  | { kind: 'stalled'; message: string };

const CONTINUE_TRIES = 20;
const CONTINUE_RETRY_MS = 250;

class Latch<T> {
  readonly promise: Promise<T>;
  resolve!: (value: T) => void;
  constructor() {
    this.promise = new Promise(resolve => {
      this.resolve = resolve;
    });
  }
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal.aborted) {
      resolve();
    }
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

function failed(error: unknown): AgentAttemptOutcome {
  return error instanceof GatewayError
    ? { phase: 'Failed', reason: error.reason, message: error.message }
    : { phase: 'Failed', reason: 'RuntimeError', message: String(error) };
}

/** Backend shutdown or a lost lease: the gateway run must go on, to be re-attached. */
function isDetach(reason: unknown): boolean {
  return reason instanceof AgentAttemptStop && reason.stopReason !== 'cancel';
}

/**
 * One attempt on the Agent Mux gateway: subscribe first, then start the run over HTTP (or
 * re-attach from a seq), map its events, answer its hooks, continue the session after human
 * approvals, and end with the outcome of its last run. It ends sooner when the attempt's time
 * budget is spent, or when a run the gateway calls running sends nothing for the inactivity
 * window (a restarted gateway keeps such runs `running` for ever).
 */
export class AgentMuxAttempt {
  readonly #launch: AgentLaunch;
  readonly #host: AgentAttemptHost;
  readonly #options: AgentMuxAttemptOptions;
  readonly #stream: RunStream;
  readonly #mapper: AgentMuxEventMapper;
  readonly #holds: ApprovalHolds;
  readonly #hooks: HookResponder;
  readonly #budget: AttemptBudget;
  readonly #watchdog: InactivityWatchdog;
  readonly #fatal = new Latch<GatewayError>();
  readonly #stalled = new Latch<string>();
  #finalized = new Latch<RunFinalized>();
  #sessionId?: string;
  #boundSession?: string;
  /** The gateway runs this attempt followed. */
  readonly #runs = new Set<string>();

  constructor(
    launch: AgentLaunch,
    host: AgentAttemptHost,
    options: AgentMuxAttemptOptions,
  ) {
    this.#launch = launch;
    this.#host = host;
    this.#options = options;
    this.#sessionId = launch.sessionId;
    this.#budget = new AttemptBudget(launch.profile.runnerPolicy);
    this.#watchdog = new InactivityWatchdog({
      windowMs: options.inactivityMs,
      runId: () => this.#stream.runId,
      getRun: runId => options.client.getRun(runId),
      onMissedEnd: () => this.#stream.resubscribe(),
      onLost: message => this.#stalled.resolve(message),
      logger: options.logger,
    });
    this.#holds = new ApprovalHolds(host, options.logger);
    this.#mapper = new AgentMuxEventMapper({
      emit: (event, runtimeSeq) =>
        host.emit(event, runtimeSeq === undefined ? undefined : { runtimeSeq }),
      session: sessionId => this.#bindSession(sessionId),
      finalized: event => {
        this.#watchdog.disarm();
        this.#finalized.resolve(event);
      },
      hookKind: id => this.#hooks.kinds.get(id),
    });
    this.#stream = new RunStream(
      {
        webSocketUrl: options.client.webSocketUrl,
        token: options.token,
        logger: options.logger,
        ...options.stream,
      },
      {
        onEvent: frame => {
          this.#watchdog.touch();
          this.#mapper.map(frame);
        },
        onLost: lost => {
          this.#watchdog.touch();
          this.#mapper.flush();
          host.emit(
            { type: 'events_lost', ...lost },
            { runtimeSeq: lost.toSeq },
          );
        },
        onHookRequest: frame => {
          this.#watchdog.touch();
          this.#hooks.handle(frame);
        },
        onReconnect: () => this.#checkRunKnown(),
        onFatal: error => this.#fatal.resolve(error),
      },
    );
    this.#hooks = new HookResponder({
      host,
      holds: this.#holds,
      logger: options.logger,
      answer: (id, decision, reason) =>
        this.#stream.decide(id, decision, reason),
      safetyMs: options.hookTimeoutSafetyMs,
      onToolInput: (id, input) => this.#mapper.noteToolInput(id, input),
      onDenied: id => this.#mapper.noteDenied(id),
    });
  }

  async run(): Promise<AgentAttemptOutcome> {
    const outcome = await this.#run();
    // A detached attempt goes on after a restart; its summary comes when it ends there.
    if (outcome.reason !== 'Detached') {
      this.#mapper.finish();
    }
    return outcome;
  }

  async #run(): Promise<AgentAttemptOutcome> {
    try {
      if (this.#host.signal.aborted) {
        return {
          phase: 'Cancelled',
          reason: 'Cancelled',
          message: 'Cancelled before it started',
        };
      }
      return this.#launch.reattach
        ? await this.#reattach(this.#launch.reattach)
        : await this.#start();
    } catch (error) {
      const outcome = failed(error);
      return {
        ...outcome,
        message: maskLaunchSecrets(outcome.message ?? '', this.#launch),
      };
    } finally {
      this.#watchdog.disarm();
      this.#budget.stop();
      this.#stream.close();
    }
  }

  async #start(): Promise<AgentAttemptOutcome> {
    if (!this.#launch.prompt.trim()) {
      return {
        phase: 'Failed',
        reason: 'EmptyPrompt',
        message: 'The prompt is empty; Agent Mux runs need a prompt',
      };
    }
    const runId = generateUlid();
    this.#budget.start();
    const { options, warnings } = agentMuxRunOptions(
      this.#launch,
      this.#options.agent,
      runId,
      this.#budget.remainingMs(),
    );
    warnings.forEach(message =>
      this.#host.emit({ type: 'warning', code: 'ProfileNotApplied', message }),
    );
    this.#runs.add(runId);
    await this.#stream.open(runId, 0);
    await this.#host.bindRuntimeRun(runId);
    await this.#options.client.startRun(options);
    this.#watchdog.arm();
    return this.#follow();
  }

  async #reattach(reattach: AgentReattach): Promise<AgentAttemptOutcome> {
    const { runtimeRunId, lastRuntimeSeq } = reattach;
    const entry = isUlid(runtimeRunId)
      ? await this.#options.client.getRun(runtimeRunId)
      : undefined;
    if (!entry) {
      return {
        phase: 'Failed',
        reason: 'RuntimeLost',
        message: `The Agent Mux gateway does not know run ${runtimeRunId} (any more)`,
      };
    }
    this.#sessionId = entry.sessionId ?? this.#sessionId;
    this.#budget.start(entry.startedAt);
    this.#runs.add(runtimeRunId);
    this.#mapper.resumeCost(reattach.lastRunTotal);
    for (const { approval, action } of reattach.pendingApprovals) {
      this.#holds.hold(approval, action);
    }
    await this.#stream.open(runtimeRunId, lastRuntimeSeq);
    this.#watchdog.arm();
    return this.#follow();
  }

  async #follow(): Promise<AgentAttemptOutcome> {
    for (;;) {
      const end = await this.#nextEnd();
      if (end.kind === 'fatal') {
        return failed(end.error);
      }
      if (end.kind === 'aborted') {
        return this.#stop();
      }
      if (end.kind === 'timedOut') {
        return this.#timedOut();
      }
      if (end.kind === 'stalled') {
        return this.#lost(end.message);
      }
      this.#mapper.flush();
      const outcome = agentMuxOutcome(end.event);
      const approved = await this.#holds.next(
        AbortSignal.any([this.#host.signal, this.#budget.signal]),
      );
      if (this.#host.signal.aborted && !isDetach(this.#host.signal.reason)) {
        return { phase: 'Cancelled', reason: 'Cancelled' };
      }
      if (!approved && this.#budget.spent && this.#holds.waiting) {
        return this.#timedOut();
      }
      if (!approved) {
        return outcome;
      }
      const stopped = await this.#continue(approved, outcome);
      if (stopped) {
        return stopped;
      }
    }
  }

  #nextEnd(): Promise<RunEnd> {
    const signal = this.#host.signal;
    return Promise.race([
      this.#finalized.promise.then(event => ({
        kind: 'finalized' as const,
        event,
      })),
      this.#fatal.promise.then(error => ({ kind: 'fatal' as const, error })),
      this.#stalled.promise.then(message => ({
        kind: 'stalled' as const,
        message,
      })),
      aborted(this.#budget.signal).then(() => ({ kind: 'timedOut' as const })),
      aborted(signal).then(() => ({ kind: 'aborted' as const })),
    ]);
  }

  /** Starts the resume run for approved actions; answers an outcome when it cannot. */
  async #continue(
    approved: ApprovedAction[],
    previous: AgentAttemptOutcome,
  ): Promise<AgentAttemptOutcome | undefined> {
    const sessionId = this.#sessionId;
    if (!sessionId) {
      this.#host.emit({
        type: 'warning',
        code: 'ContinuationImpossible',
        message: `Approved ${approved
          .map(a => a.approval)
          .join(', ')}, but the run reported no session to continue`,
      });
      return previous;
    }
    const runId = await this.#resumeRun(
      sessionId,
      continuationPrompt(approved),
    );
    if (!runId) {
      this.#host.emit({
        type: 'warning',
        code: 'ContinuationDropped',
        message: `Another run of session ${sessionId} is active on Agent Mux, which drops new prompts meanwhile; the approved actions were not retried`,
      });
      return previous;
    }
    this.#host.emit({
      type: 'runtime_event',
      runtimeType: 'session_continued',
      data: {
        sessionId,
        runtimeRunId: runId,
        approvals: approved.map(a => a.approval),
      },
    });
    return undefined;
  }

  /**
   * Starts a resume run of the session. Agent Mux drops a prompt while the session has an active
   * run, and a run can still count as active just after its `run.finalized`: wait for our own
   * runs to clear, but never take over another client's run.
   */
  async #resumeRun(
    sessionId: string,
    prompt: string,
  ): Promise<string | undefined> {
    const { client, agent } = this.#options;
    for (let tries = 0; tries < CONTINUE_TRIES; tries++) {
      if (tries) {
        await new Promise(resolve => setTimeout(resolve, CONTINUE_RETRY_MS));
      }
      const active = (await client.getSession(sessionId))?.activeRunId;
      if (active && !this.#runs.has(active)) {
        return undefined;
      }
      if (active) {
        continue;
      }
      // A resume run with our own ULID, subscribed before it starts: the sessions route would
      // name its run only after starting it, and hooks raised before a subscriber exists are
      // allowed by the gateway (fail open).
      const runId = generateUlid();
      const { options } = agentMuxRunOptions(
        { ...this.#launch, attemptKind: 'resume', sessionId, prompt },
        agent,
        runId,
        this.#budget.remainingMs(),
      );
      this.#runs.add(runId);
      this.#mapper.nextRun();
      this.#finalized = new Latch<RunFinalized>();
      this.#stream.follow(runId);
      await this.#host.bindRuntimeRun(runId);
      await client.startRun(options);
      this.#watchdog.arm();
      return runId;
    }
    return undefined;
  }

  async #stop(): Promise<AgentAttemptOutcome> {
    if (isDetach(this.#host.signal.reason)) {
      return {
        phase: 'Failed',
        reason: 'Detached',
        message: `The backend stopped following Agent Mux run ${
          this.#stream.runId
        }; it goes on and is re-attached later`,
      };
    }
    const runId = this.#stream.runId;
    const confirmed = await this.#stopRun();
    return confirmed
      ? { phase: 'Cancelled', reason: 'Cancelled' }
      : {
          phase: 'Cancelled',
          reason: 'Cancelled',
          message: `Asked Agent Mux to stop run ${runId}; it did not confirm within ${
            this.#options.cancelTimeoutMs
          } ms`,
        };
  }

  async #timedOut(): Promise<AgentAttemptOutcome> {
    const message = this.#budget.message;
    await this.#stopRun();
    this.#host.emit({
      type: 'error',
      code: 'TimedOut',
      message,
      recoverable: false,
    });
    return { phase: 'Failed', reason: 'TimedOut', message };
  }

  /** The gateway will not finish the run: stop it in case it still can, and say why. */
  async #lost(message: string): Promise<AgentAttemptOutcome> {
    await this.#requestStop();
    this.#mapper.flush();
    this.#host.emit({
      type: 'error',
      code: 'RuntimeLost',
      message,
      recoverable: false,
    });
    return { phase: 'Failed', reason: 'RuntimeLost', message };
  }

  /** Stops the current run; true when its `run.finalized` came within the cancel timeout. */
  async #stopRun(): Promise<boolean> {
    await this.#requestStop();
    let timer: NodeJS.Timeout | undefined;
    const confirmed = await Promise.race([
      this.#finalized.promise.then(() => true),
      this.#fatal.promise.then(() => false),
      new Promise<boolean>(resolve => {
        timer = setTimeout(() => resolve(false), this.#options.cancelTimeoutMs);
      }),
    ]);
    clearTimeout(timer);
    this.#mapper.flush();
    return confirmed;
  }

  async #requestStop() {
    const runId = this.#stream.runId;
    try {
      await this.#options.client.stopRun(runId);
    } catch (error) {
      this.#options.logger.warn(
        `Could not stop Agent Mux run ${runId}: ${error}`,
      );
    }
  }

  #bindSession(sessionId: string) {
    this.#sessionId = sessionId;
    if (sessionId === this.#boundSession) {
      return;
    }
    this.#boundSession = sessionId;
    this.#host
      .bindSession(sessionId)
      .catch(error =>
        this.#options.logger.warn(
          `Could not bind session ${sessionId}: ${error}`,
        ),
      );
  }

  async #checkRunKnown() {
    const runId = this.#stream.runId;
    if (!(await this.#options.client.getRun(runId))) {
      throw new GatewayError(
        'RuntimeLost',
        `The Agent Mux gateway no longer knows run ${runId}`,
      );
    }
  }
}
