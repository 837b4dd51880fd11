import { randomUUID } from 'node:crypto';
import { claudeLines } from './claudeLines';
import {
  BufferItem,
  CoreEventBuffer,
  overflowMessage,
} from './CoreEventBuffer';
import {
  ExitReason,
  HarnessExit,
  HookDecision,
  LoggedEvent,
  RunEntry,
  RunOptions,
} from './gatewayTypes';
import {
  AgentEventInput,
  Harness,
  HarnessRun,
  ToolCallScript,
} from './Harness';
import { HookBroker } from './HookBroker';
import { RunEventStore } from './RunEventStore';

export interface GatewayRunDeps {
  broker: HookBroker;
  publish(runId: string, events: LoggedEvent[]): void;
  hasSubscribers(runId: string): boolean;
  onSession(run: GatewayRun): void;
  maxEventsPerRun: number;
  /** Events buffered before they get a seq; above it they are dropped (Agent Mux: 1000). */
  eventBufferHwm: number;
  /** Events stored per turn of the event loop. */
  drainBatch: number;
  /** Time the harness takes to start, as a CLI would. */
  harnessStartDelayMs: number;
}

function statusOf(reason: ExitReason): RunEntry['status'] {
  if (reason === 'completed') {
    return 'completed';
  }
  return ['aborted', 'interrupted', 'killed'].includes(reason)
    ? 'aborted'
    : 'failed';
}

/**
 * One run of the test gateway: the stand-in harness prints lines, each stored as a `log` event
 * followed by the AgentEvents parsed from it, through the core's bounded buffer
 * ({@link CoreEventBuffer}) into the run's store in order. A stream-derived preToolUse hook holds
 * every later event until it is decided; a deny turns the tool's `tool_call_start` into
 * `tool_error`, while the tool itself goes on (advisory, as on Agent Mux).
 */
export class GatewayRun {
  readonly entry: RunEntry;
  readonly store: RunEventStore;
  readonly options: Readonly<RunOptions>;
  readonly finished: Promise<void>;
  readonly #deps: GatewayRunDeps;
  readonly #abort = new AbortController();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #buffer: CoreEventBuffer;
  #gatePending = false;
  #orphaned = false;
  #drainScheduled = false;
  #exit?: HarnessExit;
  #finalized = false;
  #toolCount = 0;
  #settledWaiters: (() => void)[] = [];
  #subscribedWaiters: (() => void)[] = [];
  #resolveFinished!: () => void;

  constructor(
    runId: string,
    options: RunOptions,
    owner: RunEntry['owner'],
    deps: GatewayRunDeps,
  ) {
    const now = Date.now();
    this.options = options;
    this.#deps = deps;
    this.store = new RunEventStore(deps.maxEventsPerRun);
    this.#buffer = new CoreEventBuffer(deps.eventBufferHwm);
    this.entry = {
      runId,
      agent: options.agent,
      ...(options.model ? { model: options.model } : {}),
      ...(options.sessionId ? { sessionId: options.sessionId } : {}),
      status: 'running',
      createdAt: now,
      startedAt: now,
      endedAt: null,
      error: null,
      owner,
    };
    this.finished = new Promise(resolve => {
      this.#resolveFinished = resolve;
    });
  }

  get runId(): string {
    return this.entry.runId;
  }

  get active(): boolean {
    return !this.#finalized;
  }

  /** Events the core dropped before they got a seq. */
  get droppedBeforeSeq(): number {
    return this.#buffer.dropped;
  }

  start(harness: Harness): void {
    this.#append('gateway', {
      type: 'user_message',
      text: this.options.prompt,
      ...(this.options.sessionId ? { sessionId: this.options.sessionId } : {}),
    });
    this.#append(
      'agent',
      this.#envelope({
        type: 'debug',
        level: 'info',
        message: `stand-in harness for ${this.options.agent} spawned`,
      }),
    );
    const timeout = this.options.timeout;
    if (typeof timeout === 'number' && timeout > 0) {
      this.#later(timeout, () => this.#kill('timeout', { kind: 'run' }));
    }
    this.#later(this.#deps.harnessStartDelayMs, () => this.#launch(harness));
  }

  /** Stops the run: `aborted`, then `run.finalized {exitReason: 'aborted'}`. */
  stop(): boolean {
    if (this.#finalized || this.#orphaned) {
      return false;
    }
    this.#kill('aborted');
    return true;
  }

  /**
   * The gateway process died under the run: its harness is gone and nothing more is stored,
   * but after a restart the run still reads `running` and counts as active, and a stop does
   * not find it.
   */
  orphan(): void {
    if (this.#finalized) {
      return;
    }
    this.#orphaned = true;
    this.#abort.abort();
    this.#timers.forEach(clearTimeout);
    this.#timers.clear();
    this.#buffer.clear();
    this.#deps.broker.cancelRun(this.runId);
    this.#wakeAll();
  }

  /** Called by the gateway when a client subscribes to this run. */
  notifySubscribed(): void {
    this.#subscribedWaiters.splice(0).forEach(wake => wake());
  }

  /** Ends everything the run still has scheduled (the gateway is closing). */
  dispose(): void {
    this.#abort.abort();
    this.#timers.forEach(clearTimeout);
    this.#timers.clear();
    this.#finalized = true;
    this.#wakeAll();
    this.#resolveFinished();
  }

  /** Ends the harness from outside (stop, run timeout): its event, then `run.finalized`. */
  #kill(reason: 'aborted' | 'timeout', fields: Record<string, unknown> = {}) {
    this.#abort.abort();
    this.#buffer.clear();
    this.#append('agent', this.#envelope({ type: reason, ...fields }));
    this.#exit = {
      exitReason: reason,
      exitCode: null,
      signal: 'SIGTERM',
      error: null,
    };
    this.#finalize();
  }

  async #launch(harness: Harness) {
    const decision = await this.#deps.broker.request(
      this.runId,
      'userPromptSubmit',
      {
        hook_event_name: 'UserPromptSubmit',
        prompt: this.options.prompt,
        ...(this.entry.sessionId ? { session_id: this.entry.sessionId } : {}),
      },
    );
    if (this.#abort.signal.aborted) {
      return;
    }
    if (decision.decision === 'deny') {
      this.#enqueue(
        this.#envelope({
          type: 'error',
          code: 'PROMPT_BLOCKED',
          message: decision.reason ?? 'prompt blocked by hook',
          recoverable: false,
        }),
      );
      this.#done({ exitReason: 'completed' });
      return;
    }
    let exit: HarnessExit;
    try {
      exit = (await harness(this.#harnessRun())) ?? {};
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      this.#enqueue(
        this.#envelope({ type: 'crash', exitCode: 1, stderr: message }),
      );
      exit = {
        exitReason: 'crashed',
        exitCode: 1,
        error: { code: 'CRASHED', message },
      };
    }
    this.#done(exit);
  }

  #done(exit: HarnessExit) {
    if (this.#abort.signal.aborted) {
      return;
    }
    this.#exit = {
      exitReason: 'completed',
      exitCode: exit.exitReason && exit.exitReason !== 'completed' ? 1 : 0,
      signal: null,
      error: null,
      ...exit,
    };
    this.#scheduleDrain();
  }

  #harnessRun(): HarnessRun {
    const entry = this.entry;
    return {
      runId: this.runId,
      options: this.options,
      prompt: this.options.prompt,
      signal: this.#abort.signal,
      get sessionId() {
        return entry.sessionId;
      },
      emit: event => this.#emit(event),
      print: (line, events) => this.#print(line, events),
      startSession: () => this.#startSession(),
      text: (text, chunks = 1) => this.#text(text, chunks),
      claudeText: (text, chunks = 1) =>
        claudeLines(text, chunks).forEach(({ line, events }) =>
          this.#print(line, events),
        ),
      cost: totals => this.#emit({ type: 'cost', cost: { ...totals } }),
      toolCall: call => this.#toolCall(call),
      skipSeqs: count => this.#push({ kind: 'skip', count }),
      settled: () => this.#settled(),
      subscribed: () => this.#subscribed(),
      sleep: ms =>
        new Promise(resolve => {
          this.#later(ms, resolve);
          this.#abort.signal.addEventListener('abort', () => resolve(), {
            once: true,
          });
        }),
    };
  }

  /** An event the adapter parsed from a line of its own. */
  #emit(event: AgentEventInput) {
    this.#print(JSON.stringify(event), [event]);
  }

  /** A stdout line: stored as a `log` event, then the events parsed from it. */
  #print(line: string, events: AgentEventInput[] = []) {
    this.#offer({ type: 'log', source: 'stdout', line });
    events.forEach(event => this.#offer(event));
  }

  #offer(event: AgentEventInput) {
    if (!this.#accepting()) {
      return;
    }
    if (this.#buffer.offer(this.#envelope(event))) {
      this.#scheduleDrain();
    }
  }

  #enqueue(event: Record<string, unknown>) {
    this.#push({ kind: 'event', event });
  }

  #push(item: BufferItem) {
    if (!this.#accepting()) {
      return;
    }
    this.#buffer.push(item);
    this.#scheduleDrain();
  }

  #accepting() {
    return !this.#abort.signal.aborted && !this.#finalized && !this.#orphaned;
  }

  #startSession(): string {
    const { sessionId, forkSessionId } = this.options;
    const id = sessionId ?? randomUUID();
    this.#emit({
      type: 'session_start',
      sessionId: id,
      resumed: Boolean(sessionId),
      ...(forkSessionId ? { forkedFrom: forkSessionId } : {}),
    });
    return id;
  }

  #text(text: string, chunks: number) {
    this.#emit({ type: 'message_start' });
    const size = Math.max(1, Math.ceil(text.length / chunks));
    for (let at = 0; at < text.length; at += size) {
      this.#emit({
        type: 'text_delta',
        delta: text.slice(at, at + size),
        accumulated: text.slice(0, at + size),
      });
    }
    this.#emit({ type: 'message_stop', text });
  }

  async #toolCall(call: ToolCallScript): Promise<{ ran: boolean }> {
    this.#toolCount += 1;
    const toolCallId = call.toolCallId ?? `toolu_${this.#toolCount}`;
    const { toolName, input } = call;
    this.#offer({ type: 'log', source: 'stdout', line: JSON.stringify(call) });
    this.#push({
      kind: 'gate',
      event: this.#envelope({
        type: 'tool_call_start',
        toolCallId,
        toolName,
        inputAccumulated: JSON.stringify(input),
      }),
      payload: {
        sessionId: this.entry.sessionId,
        toolCallId,
        toolName,
        input: JSON.stringify(input),
      },
    });
    this.#emit({ type: 'tool_call_ready', toolCallId, toolName, input });
    let native: HookDecision = { decision: 'allow' };
    if (call.nativeHook) {
      native = await this.#deps.broker.request(this.runId, 'preToolUse', {
        hook_event_name: 'PreToolUse',
        session_id: this.entry.sessionId,
        cwd: this.options.cwd,
        tool_name: toolName,
        tool_input: input,
        tool_use_id: toolCallId,
      });
    }
    if (native.decision === 'deny') {
      this.#emit({
        type: 'tool_error',
        toolCallId,
        toolName,
        error: `Blocked by PreToolUse hook: ${native.reason ?? 'denied'}`,
      });
      return { ran: false };
    }
    this.#emit({
      type: 'tool_result',
      toolCallId,
      toolName,
      output: call.output ?? '',
      durationMs: call.durationMs ?? 1,
    });
    return { ran: true };
  }

  #settled(): Promise<void> {
    if (this.#idle() || this.#finalized || this.#orphaned) {
      return Promise.resolve();
    }
    return new Promise(resolve => this.#settledWaiters.push(resolve));
  }

  #subscribed(): Promise<void> {
    if (
      this.#deps.hasSubscribers(this.runId) ||
      this.#finalized ||
      this.#orphaned
    ) {
      return Promise.resolve();
    }
    return new Promise(resolve => this.#subscribedWaiters.push(resolve));
  }

  #idle() {
    return (
      this.#buffer.length === 0 && !this.#gatePending && !this.#drainScheduled
    );
  }

  #scheduleDrain() {
    if (this.#drainScheduled || this.#finalized || this.#orphaned) {
      return;
    }
    this.#drainScheduled = true;
    setImmediate(() => {
      this.#drainScheduled = false;
      this.#drain();
    });
  }

  #drain() {
    if (this.#gatePending || this.#finalized || this.#orphaned) {
      return;
    }
    for (let n = 0; n < this.#deps.drainBatch && this.#buffer.length; n++) {
      const item = this.#buffer.shift()!;
      if (item.kind === 'event') {
        this.#append('agent', item.event);
      } else if (item.kind === 'skip') {
        this.store.skip(item.count);
      } else if (item.kind === 'overflow') {
        this.#append(
          'agent',
          this.#envelope({
            type: 'debug',
            level: 'warn',
            message: overflowMessage(this.#deps.eventBufferHwm),
          }),
        );
      } else {
        this.#gate(item);
        return;
      }
    }
    if (this.#buffer.length) {
      this.#scheduleDrain();
      return;
    }
    this.#settledWaiters.splice(0).forEach(wake => wake());
    if (this.#exit) {
      this.#finalize();
    }
  }

  #gate(item: Extract<BufferItem, { kind: 'gate' }>) {
    this.#gatePending = true;
    this.#deps.broker
      .request(this.runId, 'preToolUse', item.payload)
      .then(decision => {
        this.#gatePending = false;
        if (this.#finalized || this.#orphaned) {
          return;
        }
        this.#append(
          'agent',
          decision.decision === 'allow'
            ? item.event
            : this.#envelope({
                type: 'tool_error',
                toolCallId: item.event.toolCallId,
                toolName: item.event.toolName,
                error: `Denied by hook: ${decision.reason ?? 'denied'}`,
              }),
        );
        this.#scheduleDrain();
      });
  }

  #finalize() {
    if (this.#finalized) {
      return;
    }
    const exit = this.#exit!;
    const exitReason = exit.exitReason ?? 'completed';
    this.#deps.broker.cancelRun(this.runId);
    this.entry.status = statusOf(exitReason);
    this.entry.endedAt = Date.now();
    this.entry.exitReason = exitReason;
    this.entry.error = exit.error ?? null;
    this.#append('gateway', {
      type: 'run.finalized',
      exitReason,
      exitCode: exit.exitCode ?? null,
      signal: exit.signal ?? null,
      error: exit.error ?? null,
    });
    this.#finalized = true;
    this.#timers.forEach(clearTimeout);
    this.#timers.clear();
    this.#wakeAll();
    this.#resolveFinished();
  }

  #wakeAll() {
    this.#settledWaiters.splice(0).forEach(wake => wake());
    this.#subscribedWaiters.splice(0).forEach(wake => wake());
  }

  #append(source: LoggedEvent['source'], event: Record<string, unknown>) {
    const logged = this.store.append(source, event);
    if (source === 'agent') {
      this.#buffer.delivered();
    }
    if (
      source === 'agent' &&
      event.type === 'session_start' &&
      typeof event.sessionId === 'string'
    ) {
      this.entry.sessionId = event.sessionId;
      this.#deps.onSession(this);
    }
    this.#deps.publish(this.runId, logged);
  }

  #envelope(event: AgentEventInput): Record<string, unknown> {
    const { type, ...fields } = event;
    return {
      type,
      runId: this.runId,
      agent: this.options.agent,
      timestamp: Date.now(),
      ...fields,
    };
  }

  #later(ms: number, action: () => void) {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      action();
    }, ms);
    this.#timers.add(timer);
  }
}
