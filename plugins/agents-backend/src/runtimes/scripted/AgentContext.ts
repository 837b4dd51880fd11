import { AgentAttemptHost, AgentLaunch } from '@krate/plugin-agents-node';
import { WorkingTreeBaseline } from './WorkingTreeBaseline';

/** What every agent of one attempt (the main agent and its subagents) shares. */
export interface AgentContext {
  readonly launch: AgentLaunch;
  readonly host: AgentAttemptHost;
  /** Aborts on cancel and when the attempt's time budget runs out. */
  readonly signal: AbortSignal;
  /** Real path of the working directory. */
  readonly root: string;
  /** Present when the scripts produce a patch. */
  readonly baseline?: WorkingTreeBaseline;
  /** Characters of text and thinking emitted so far, for the token estimate. */
  outputChars: number;
}
