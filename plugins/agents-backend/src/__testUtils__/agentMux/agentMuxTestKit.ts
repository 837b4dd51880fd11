import { AgentAttemptStop } from '@krate/plugin-agents-node';
import { AgentLaunch, LaunchProfile } from '@krate/plugin-agents-node';
import { RecordingHost } from '../recordingHost';
import {
  AgentMuxRuntime,
  AgentMuxRuntimeOptions,
} from '../../runtimes/agentMux/AgentMuxRuntime';
import { AgentMuxTestGateway } from './AgentMuxTestGateway';

/** A launch of the agent-mux runtime with a profile the tests may override. */
export function muxLaunch(
  overrides: Partial<AgentLaunch> = {},
  profile: Partial<LaunchProfile> = {},
): AgentLaunch {
  return {
    namespace: 'default',
    run: 'run-1',
    attempt: 'run-1-a1',
    attemptKind: 'initial',
    prompt: 'Fix the failing test',
    workingDirectory: '/srv/work/run-1',
    ...overrides,
    profile: {
      stack: 'mux-stack',
      runtime: 'agent-mux',
      approvalMode: 'policy',
      allowSelfApproval: false,
      mcpServers: [],
      skills: [],
      subagents: [],
      defaultContextLabels: [],
      ...profile,
    },
  };
}

/** The runtime against a test gateway, with short reconnect pauses. */
export function muxRuntime(
  gateway: AgentMuxTestGateway,
  options: Partial<AgentMuxRuntimeOptions> = {},
): AgentMuxRuntime {
  return new AgentMuxRuntime({
    url: gateway.url,
    token: gateway.token,
    reconnectDelayMs: { min: 20, max: 200 },
    giveUpAfterMs: 5_000,
    cancelTimeoutMs: 2_000,
    ...options,
  });
}

/** Polls until `check` holds. */
export async function eventually(
  check: () => boolean,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(`Condition not met within ${timeoutMs} ms`);
    }
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}

/** The runtime seqs the host was given, in emit order. */
export function runtimeSeqs(host: RecordingHost): number[] {
  return host.events
    .map(e => e.runtimeSeq)
    .filter((seq): seq is number => seq !== undefined);
}

/** A host whose signal aborts the way the dispatcher's does on backend shutdown. */
export class ShutdownHost extends RecordingHost {
  readonly #abort = new AbortController();

  get signal() {
    return this.#abort.signal;
  }

  shutdown() {
    this.#abort.abort(new AgentAttemptStop('shutdown'));
  }
}
