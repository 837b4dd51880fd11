import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AgentAttemptHost,
  AgentAttemptOutcome,
  AgentLaunch,
  AgentRuntime,
  AgentRuntimeAvailability,
  AgentRuntimeCapabilities,
} from '@krate/plugin-agents-node';
import { AgentMuxAttempt } from './AgentMuxAttempt';
import { AgentMuxClient } from './AgentMuxClient';
import { closestName } from './closestName';
import { GatewayError } from './GatewayError';

/** Options of {@link AgentMuxRuntime}. */
export interface AgentMuxRuntimeOptions {
  /** Gateway base URL, e.g. `http://127.0.0.1:7878`. */
  url: string;
  /** A gateway token (`agent-mux gateway tokens create`). Never logged. */
  token: string;
  /** The gateway agent that runs attempts; default `claude` (Agent Mux's Claude Code agent). */
  agent?: string;
  /**
   * How long a run the gateway reports as running may go without an event before the attempt
   * ends as `RuntimeLost`; default 600 s.
   */
  inactivitySeconds?: number;
  logger?: LoggerService;
  /** Time kept free before a hook's deadline; no decision by then is a deny. Default 5 s. */
  hookTimeoutSafetyMs?: number;
  /** How long a cancel waits for the gateway's `run.finalized`; default 10 s. */
  cancelTimeoutMs?: number;
  /** First and longest pause between reconnects; default 100 ms and 5 s. */
  reconnectDelayMs?: { min: number; max: number };
  /** How long the gateway may stay unreachable during a run; default 2 min. */
  giveUpAfterMs?: number;
  /** Timeout of each REST call; default 10 s. */
  requestTimeoutMs?: number;
}

/** The agent of Agent Mux's Claude Code adapter. */
const DEFAULT_AGENT = 'claude';

const silentLogger: LoggerService = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
  child: () => silentLogger,
};

/**
 * Runs attempts on an Agent Mux gateway. The gateway keeps running an attempt's agent when the
 * backend restarts, so attempts re-attach from their last seq. Its hooks fail open, so
 * approvals are advisory: the runtime decides every hook at once and holds human gates itself.
 */
export class AgentMuxRuntime implements AgentRuntime {
  readonly id = 'agent-mux';
  readonly displayName = 'Agent Mux';
  readonly capabilities: AgentRuntimeCapabilities = {
    subagents: true,
    mcp: true,
    resume: true,
    approvals: 'advisory',
    reattach: true,
  };
  readonly #options: AgentMuxRuntimeOptions;
  readonly #client: AgentMuxClient;
  readonly #agent: string;
  readonly #logger: LoggerService;

  constructor(options: AgentMuxRuntimeOptions) {
    this.#options = options;
    this.#client = new AgentMuxClient({
      url: options.url,
      token: options.token,
      timeoutMs: options.requestTimeoutMs,
    });
    this.#agent = options.agent ?? DEFAULT_AGENT;
    this.#logger = options.logger ?? silentLogger;
  }

  async checkAvailability(): Promise<AgentRuntimeAvailability> {
    const where = this.#client.baseUrl;
    let serverVersion: string | undefined;
    try {
      serverVersion = (await this.#client.health()).serverVersion;
    } catch (error) {
      this.#logger.debug(`Agent Mux availability probe failed: ${error}`);
      return {
        available: false,
        reason: `The Agent Mux gateway at ${where} does not answer: ${
          (error as Error).message
        }`,
        hint: 'Start the gateway (agent-mux gateway) or fix agents.runtimes.agentMux.url',
      };
    }
    try {
      const { agents, agentDescriptors } = await this.#client.agents();
      const descriptor = agentDescriptors.find(d => d.agent === this.#agent);
      if (!agents.includes(this.#agent) || !descriptor) {
        const suggestion = closestName(this.#agent, agents);
        return {
          available: false,
          reason: `agent '${
            this.#agent
          }' is not listed by the Agent Mux gateway at ${where}${
            suggestion ? `; did you mean '${suggestion}'?` : ''
          } (it lists: ${agents.join(', ') || 'none'})`,
          hint: suggestion
            ? `Set agents.runtimes.agentMux.agent to '${suggestion}'`
            : `Install the ${
                this.#agent
              } CLI on the gateway host, or set agents.runtimes.agentMux.agent to a listed agent`,
        };
      }
      return {
        available: true,
        detail: `Agent Mux ${serverVersion ?? ''} at ${where}: ${
          descriptor.displayName ?? this.#agent
        } (${descriptor.adapterType ?? 'unknown'} adapter, ${
          descriptor.structuredSessionTransport ?? 'unknown'
        } sessions); approvals are advisory`,
      };
    } catch (error) {
      const unauthorized =
        error instanceof GatewayError && error.reason === 'GatewayUnauthorized';
      return {
        available: false,
        reason: unauthorized
          ? `The Agent Mux gateway at ${where} refused the configured token`
          : (error as Error).message,
        hint: unauthorized
          ? 'Create a token with `agent-mux gateway tokens create` and set agents.runtimes.agentMux.token'
          : 'Check the gateway log',
      };
    }
  }

  run(
    launch: AgentLaunch,
    host: AgentAttemptHost,
  ): Promise<AgentAttemptOutcome> {
    const options = this.#options;
    return new AgentMuxAttempt(launch, host, {
      client: this.#client,
      token: options.token,
      agent: this.#agent,
      logger: host.logger,
      hookTimeoutSafetyMs: options.hookTimeoutSafetyMs ?? 5_000,
      cancelTimeoutMs: options.cancelTimeoutMs ?? 10_000,
      inactivityMs: (options.inactivitySeconds ?? 600) * 1000,
      stream: {
        reconnectDelayMs: options.reconnectDelayMs,
        giveUpAfterMs: options.giveUpAfterMs,
      },
    }).run();
  }
}
