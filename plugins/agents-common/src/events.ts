/**
 * The normalized events of an attempt's event log. Every runtime (scripted, Agent Mux, Claude
 * Code, Codex) maps what it sees onto these, so the run page renders one vocabulary.
 *
 * Each event is stored with a per-run `seq` (strictly increasing, no gaps; attempts of one run
 * never overlap, so each attempt's events are one contiguous seq range), the attempt name and the
 * time it was appended.
 */

/** Cost and token usage; `cost` events carry the increment since the previous one. @public */
export interface RunEventUsage {
  usd?: number;
  inputTokens?: number;
  outputTokens?: number;
}

/** @public */
export type RunEventPayload =
  /** Assistant text. Runtimes coalesce deltas into whole messages or chunks. */
  | { type: 'text'; text: string; subagentId?: string }
  | { type: 'thinking'; text: string; subagentId?: string }
  | {
      type: 'tool_call';
      toolCallId: string;
      toolName: string;
      input?: unknown;
      subagentId?: string;
    }
  | {
      type: 'tool_result';
      toolCallId: string;
      toolName: string;
      output?: unknown;
      isError?: boolean;
      durationMs?: number;
      subagentId?: string;
    }
  | { type: 'shell_start'; command: string; cwd?: string; toolCallId?: string }
  | {
      type: 'shell_output';
      stream: 'stdout' | 'stderr';
      text: string;
      toolCallId?: string;
    }
  | {
      type: 'shell_exit';
      exitCode: number | null;
      durationMs?: number;
      toolCallId?: string;
    }
  | { type: 'file_read'; path: string }
  | {
      type: 'file_change';
      path: string;
      change: 'create' | 'write' | 'delete' | 'patch';
      byteCount?: number;
      diff?: string;
    }
  | {
      type: 'mcp_call';
      phase: 'start' | 'result' | 'error';
      server: string;
      toolName: string;
      toolCallId: string;
      input?: unknown;
      output?: unknown;
      error?: string;
    }
  | {
      type: 'subagent_spawn';
      subagentId: string;
      agentName: string;
      prompt?: string;
    }
  | { type: 'subagent_result'; subagentId: string; summary?: string }
  | { type: 'subagent_error'; subagentId: string; error: string }
  | {
      type: 'approval_requested';
      approval: string;
      actionClass: string;
      target: string;
      policySource: string;
    }
  | {
      type: 'approval_decided';
      approval: string;
      decision: 'approved' | 'rejected' | 'expired';
      decidedBy?: string;
      reason?: string;
    }
  /** A privileged action the policy refused or allowed without a human. */
  | {
      type: 'policy_decision';
      actionClass: string;
      target: string;
      decision: 'allow' | 'deny';
      reason: string;
    }
  /**
   * `runTotal`: the running total the runtime reported for its current run, kept so that a
   * re-attached attempt counts on from it instead of counting it twice.
   */
  | ({ type: 'cost'; runTotal?: RunEventUsage } & RunEventUsage)
  | { type: 'session_started'; sessionId: string; resumed?: boolean }
  | { type: 'session_ended'; sessionId?: string; turnCount?: number }
  | {
      type: 'attempt_phase';
      phase: string;
      reason?: string;
      message?: string;
    }
  | {
      type: 'artifact';
      /** `comment` and `review` are texts the agent proposes to post, once approved. */
      artifactKind: 'patch' | 'log' | 'report' | 'comment' | 'review';
      name: string;
      /** Where a proposed comment or review goes. */
      target?: { kind: 'issue' | 'pull-request' | 'branch'; ref: string };
      content?: string;
      byteCount?: number;
    }
  /** The runtime's stream skipped seqs: these events are gone and the log says so. */
  | {
      type: 'events_lost';
      count: number;
      fromSeq?: number;
      toSeq?: number;
      reason: string;
    }
  | { type: 'warning'; code?: string; message: string }
  | { type: 'error'; code?: string; message: string; recoverable?: boolean }
  /** A runtime event with no normalized equivalent, kept rather than dropped. */
  | { type: 'runtime_event'; runtimeType: string; data?: unknown };

/** @public */
export type RunEventType = RunEventPayload['type'];

/** An event as stored and served by `GET /runs/:run/events`. @public */
export type RunEvent = RunEventPayload & {
  seq: number;
  attempt: string;
  /** ISO time the backend appended it. */
  time: string;
};

/** Answer of `GET /api/agents/runs/:run/events`. @public */
export interface RunEventsPage {
  items: RunEvent[];
  /** Highest seq in the log when read; poll or stream from here. */
  lastSeq: number;
  /** Present when more events follow `items` (the page was cut at `limit`). */
  nextSinceSeq?: number;
}
