/** How a run ended, as Agent Mux reports it in `run.finalized` and `RunEntry.exitReason`. */
export type ExitReason =
  | 'completed'
  | 'aborted'
  | 'interrupted'
  | 'timeout'
  | 'inactivity'
  | 'turn_limit'
  | 'crashed'
  | 'killed';

/** The body of `POST /api/v1/runs` (the fields the test gateway looks at; the rest is kept). */
export interface RunOptions {
  agent: string;
  prompt: string;
  runId?: string;
  sessionId?: string;
  forkSessionId?: string;
  model?: string;
  [option: string]: unknown;
}

export interface RunEntry {
  runId: string;
  agent: string;
  model?: string;
  status: 'running' | 'completed' | 'aborted' | 'failed';
  createdAt: number;
  startedAt: number;
  endedAt: number | null;
  sessionId?: string;
  exitReason?: ExitReason;
  error: { code: string; message: string } | null;
  owner: { tokenId: string; name: string; remoteAddress: string | null };
}

export interface SessionEntry {
  sessionId: string;
  agent: string;
  status: 'active' | 'inactive';
  activeRunId: string | null;
  latestRunId: string;
  createdAt: number;
  updatedAt: number;
  model?: string;
}

/** One stored event of a run. */
export interface LoggedEvent {
  seq: number;
  ts: number;
  source: 'agent' | 'gateway';
  event: Record<string, unknown>;
}

/** What a harness script hands back when it ends on its own. */
export interface HarnessExit {
  exitReason?: ExitReason;
  exitCode?: number | null;
  signal?: string | null;
  error?: { code: string; message: string } | null;
}

export interface HookDecision {
  decision: 'allow' | 'deny';
  reason?: string;
}
