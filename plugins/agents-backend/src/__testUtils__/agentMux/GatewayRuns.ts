import { GatewayConnection } from './GatewayConnection';
import { GatewayRun } from './GatewayRun';
import { LoggedEvent, RunOptions, SessionEntry } from './gatewayTypes';
import { Harness } from './Harness';
import { HookBroker } from './HookBroker';

/** Limits and timings of the runs a test gateway holds. */
export interface GatewayRunsOptions {
  maxConcurrentRuns: number;
  maxEventsPerRun: number;
  hookDecisionTimeoutMs: number;
  eventBufferHwm: number;
  drainBatch: number;
  harnessStartDelayMs: number;
  /** The harness a new run follows. */
  harness(): Harness;
  /** Every open connection, for session subscriptions. */
  connections(): Iterable<GatewayConnection>;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function eventFrame(runId: string, logged: LoggedEvent) {
  return {
    type: 'run.event',
    runId,
    seq: logged.seq,
    source: logged.source,
    event: logged.event,
  };
}

/**
 * The test gateway's run manager: runs, their sessions, who is subscribed to which run, and
 * the replay a subscribe gets (or `seq_gone` when its seq was truncated away).
 */
export class GatewayRuns {
  readonly broker: HookBroker;
  readonly seqGoneSent: {
    runId: string;
    sinceSeq: number;
    tailSeq: number;
  }[] = [];
  readonly #options: GatewayRunsOptions;
  readonly #runs = new Map<string, GatewayRun>();
  readonly #sessions = new Map<string, GatewayRun[]>();
  readonly #subscribers = new Map<string, Map<string, GatewayConnection>>();

  constructor(options: GatewayRunsOptions) {
    this.#options = options;
    this.broker = new HookBroker({
      subscribers: runId => [...(this.#subscribers.get(runId)?.values() ?? [])],
      persist: (runId, event) => {
        const run = this.#runs.get(runId);
        if (run?.active) {
          this.#publish(runId, run.store.append('gateway', event));
        }
      },
      timeoutMs: options.hookDecisionTimeoutMs,
    });
  }

  get(runId: string): GatewayRun | undefined {
    return this.#runs.get(runId);
  }

  list(): GatewayRun[] {
    return [...this.#runs.values()];
  }

  /** Starts a run; throws for what Agent Mux answers with a bare 500. */
  start(options: RunOptions): GatewayRun {
    if (typeof options.prompt !== 'string' || !options.prompt.trim()) {
      throw new Error('prompt is required');
    }
    const { maxConcurrentRuns } = this.#options;
    if (this.list().filter(r => r.active).length >= maxConcurrentRuns) {
      throw new Error(`maxConcurrentRuns limit reached (${maxConcurrentRuns})`);
    }
    const runId =
      typeof options.runId === 'string' && options.runId.trim()
        ? options.runId
        : Array.from(
            { length: 26 },
            () => CROCKFORD[Math.floor(Math.random() * 32)],
          ).join('');
    if (this.#runs.has(runId)) {
      throw new Error(`run ${runId} exists`);
    }
    const run = new GatewayRun(
      runId,
      options,
      { tokenId: 'test-token', name: 'test', remoteAddress: null },
      {
        broker: this.broker,
        publish: (id, events) => this.#publish(id, events),
        hasSubscribers: id => (this.#subscribers.get(id)?.size ?? 0) > 0,
        onSession: r => this.#addToSession(r),
        maxEventsPerRun: this.#options.maxEventsPerRun,
        eventBufferHwm: this.#options.eventBufferHwm,
        drainBatch: this.#options.drainBatch,
        harnessStartDelayMs: this.#options.harnessStartDelayMs,
      },
    );
    this.#runs.set(runId, run);
    if (options.sessionId) {
      this.#addToSession(run);
    }
    run.start(this.#options.harness());
    return run;
  }

  sessions(): SessionEntry[] {
    return [...this.#sessions.keys()].map(id => this.session(id)!);
  }

  session(sessionId: string): SessionEntry | undefined {
    const runs = this.#sessions.get(sessionId);
    if (!runs?.length) {
      return undefined;
    }
    const latest = runs[runs.length - 1];
    const active = runs.find(r => r.active);
    return {
      sessionId,
      agent: latest.entry.agent,
      status: active ? 'active' : 'inactive',
      activeRunId: active?.runId ?? null,
      latestRunId: latest.runId,
      createdAt: runs[0].entry.createdAt,
      updatedAt: latest.entry.endedAt ?? latest.entry.startedAt,
      ...(latest.entry.model ? { model: latest.entry.model } : {}),
    };
  }

  /**
   * `POST /sessions/:id/messages`: a resume run, or — while the session has an active run —
   * that run, with the prompt dropped (no agent here has a persistent transport).
   */
  continueSession(sessionId: string, body: Record<string, unknown>) {
    const session = this.session(sessionId);
    if (!session) {
      return undefined;
    }
    if (session.activeRunId) {
      return { run: this.#runs.get(session.activeRunId)!.entry, session };
    }
    const run = this.start({
      agent: typeof body.agent === 'string' ? body.agent : session.agent,
      ...(typeof body.model === 'string' ? { model: body.model } : {}),
      prompt: typeof body.prompt === 'string' ? body.prompt : '',
      sessionId,
    });
    return { run: run.entry, session: this.session(sessionId) };
  }

  subscribe(connection: GatewayConnection, runId: string, sinceSeq: number) {
    const run = this.#runs.get(runId);
    if (run && run.store.tailSeq > 0 && sinceSeq < run.store.headSeq - 1) {
      this.seqGoneSent.push({ runId, sinceSeq, tailSeq: run.store.tailSeq });
      connection.send({
        type: 'error',
        code: 'seq_gone',
        message: 'Requested sequence is no longer available',
        runId,
        tailSeq: run.store.tailSeq,
      });
      return;
    }
    const subscribers = this.#subscribers.get(runId) ?? new Map();
    subscribers.set(connection.id, connection);
    this.#subscribers.set(runId, subscribers);
    connection.subscriptions.add(runId);
    for (const logged of run?.store.readSince(sinceSeq) ?? []) {
      connection.send(eventFrame(runId, logged));
    }
    run?.notifySubscribed();
  }

  unsubscribe(connection: GatewayConnection, runId: string) {
    connection.subscriptions.delete(runId);
    const subscribers = this.#subscribers.get(runId);
    subscribers?.delete(connection.id);
    if (subscribers?.size === 0) {
      this.#subscribers.delete(runId);
    }
  }

  /** Drops a connection's subscriptions (it closed or was cut). */
  forget(connection: GatewayConnection) {
    for (const runId of [...connection.subscriptions]) {
      this.unsubscribe(connection, runId);
    }
  }

  /** Ends every run's timers and hooks without finalizing (the gateway goes away). */
  dispose() {
    for (const run of this.#runs.values()) {
      run.dispose();
      this.broker.cancelRun(run.runId);
    }
  }

  #addToSession(run: GatewayRun) {
    const id = run.entry.sessionId!;
    const runs = this.#sessions.get(id) ?? [];
    if (!runs.includes(run)) {
      runs.push(run);
    }
    this.#sessions.set(id, runs);
  }

  #publish(runId: string, events: LoggedEvent[]) {
    const sessionId = this.#runs.get(runId)?.entry.sessionId;
    const recipients = new Set(this.#subscribers.get(runId)?.values() ?? []);
    if (sessionId) {
      for (const connection of this.#options.connections()) {
        if (connection.sessionSubscriptions.has(sessionId)) {
          recipients.add(connection);
        }
      }
    }
    for (const logged of events) {
      for (const connection of recipients) {
        connection.send(eventFrame(runId, logged));
      }
    }
  }
}
