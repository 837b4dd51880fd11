/** The parts of Agent Mux protocol version 1 the runtime reads. */

export interface RunEntry {
  runId: string;
  agent: string;
  status: 'running' | 'completed' | 'aborted' | 'failed';
  /** Milliseconds since the epoch. */
  startedAt?: number;
  sessionId?: string;
  exitReason?: string;
  error?: { code: string; message: string } | null;
}

export interface SessionEntry {
  sessionId: string;
  agent: string;
  status: 'active' | 'inactive';
  activeRunId: string | null;
  latestRunId: string | null;
}

export interface AgentDescriptor {
  agent: string;
  displayName?: string;
  adapterType?: string;
  structuredSessionTransport?: string;
  supportsInteractiveMode?: boolean;
  canResume?: boolean;
}

export interface RunEventFrame {
  type: 'run.event';
  runId: string;
  seq: number;
  source: 'agent' | 'gateway' | string;
  event: { type: string } & Record<string, any>;
}

export interface HookRequestFrame {
  type: 'hook.request';
  hookRequestId: string;
  runId: string;
  hookKind: string;
  payload: Record<string, any>;
  deadlineTs: number;
}

/** `run.finalized`: the last event of every run. */
export interface RunFinalized {
  type: 'run.finalized';
  exitReason: string;
  exitCode?: number | null;
  signal?: string | null;
  error?: { code?: string; message?: string } | null;
}
