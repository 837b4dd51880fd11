import { HarnessExit, RunOptions } from './gatewayTypes';

/** An AgentEvent without the envelope (`runId`, `agent`, `timestamp` are added). */
export type AgentEventInput = { type: string } & Record<string, unknown>;

/** A tool call the scripted agent makes. */
export interface ToolCallScript {
  toolCallId?: string;
  toolName: string;
  input: Record<string, unknown>;
  /** What the tool printed; it is reported whether or not a stream-derived hook denied it. */
  output?: unknown;
  durationMs?: number;
  /**
   * Also ask Claude's native PreToolUse hook (raw hook JSON), which blocks the tool until
   * decided: a deny there really keeps the tool from running.
   */
  nativeHook?: boolean;
}

/** The scripted agent's view of its run: what a real harness would print, as calls. */
export interface HarnessRun {
  readonly runId: string;
  readonly options: Readonly<RunOptions>;
  readonly prompt: string;
  /** Aborted when the run is stopped. */
  readonly signal: AbortSignal;
  readonly sessionId?: string;
  /**
   * Prints a line the adapter parses into one AgentEvent. Like every stdout line it is stored as
   * a `log` event first; above the buffer's high-water mark either may be lost before it gets a
   * seq.
   */
  emit(event: AgentEventInput): void;
  /** Prints a raw stdout line (a `log` event) and the events the adapter parsed from it. */
  print(line: string, events?: AgentEventInput[]): void;
  /** Emits `session_start` (resumed for a `sessionId` run, forked for `forkSessionId`). */
  startSession(): string;
  /** Streams a message: message_start, `chunks` text deltas, message_stop. */
  text(text: string, chunks?: number): void;
  /**
   * Streams a message as Agent Mux's Claude adapter reports it: `chunks` text deltas, an empty
   * message_stop, then a second message_stop carrying the whole text.
   */
  claudeText(text: string, chunks?: number): void;
  /** Emits a `cost` event with the run's totals so far. */
  cost(totals: {
    totalUsd: number;
    inputTokens: number;
    outputTokens: number;
  }): void;
  /** Calls a tool behind the preToolUse hook(s); resolves whether the tool ran. */
  toolCall(call: ToolCallScript): Promise<{ ran: boolean }>;
  /** Makes the gateway skip `count` seqs: those events are gone for every client. */
  skipSeqs(count: number): void;
  /** Resolves once every event printed so far has been stored (or dropped). */
  settled(): Promise<void>;
  /** Resolves once some client is subscribed to the run. */
  subscribed(): Promise<void>;
  sleep(ms: number): Promise<void>;
}

/** The script a run of the test gateway follows; throwing makes the harness crash. */
export type Harness = (run: HarnessRun) => Promise<HarnessExit | void>;

/** Starts a session, answers with a short text and reports its cost. */
export const echoHarness: Harness = async run => {
  run.startSession();
  run.text(`You said: ${run.prompt}`, 3);
  run.cost({ totalUsd: 0.001, inputTokens: 10, outputTokens: 5 });
};
