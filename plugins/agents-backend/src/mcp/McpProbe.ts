import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { AgentMcpServer } from '@krate/plugin-agents-common';
import { Redactor } from '../dispatch/Redactor';
import {
  describeConnectFailure,
  detail,
  formatSeconds,
  ProbeTimeoutError,
} from './describeConnectFailure';
import { McpProbeResult, DiscoveredTool } from './McpProbeResult';
import { McpServerSecrets } from './McpServerSecrets';
import {
  mcpTransport,
  ProbeTransport,
  TransportSpecError,
} from './mcpTransport';

const MAX_TOOLS = 1_000;
const MAX_DESCRIPTION = 1_000;

export interface McpProbeOptions {
  /** The values the servers' grants give them; without it servers are probed without secrets. */
  secrets?: McpServerSecrets;
  /** The longest one probe may take, from connecting to the last tools page; default 10 s. */
  timeoutMs?: number;
  /** The most `tools/list` pages followed; default 50. */
  maxPages?: number;
  /**
   * Whether stdio servers are probed, which starts their command on this host; default true.
   * When false they stay Unknown.
   */
  stdio?: boolean;
}

type Outcome = Omit<McpProbeResult, 'probedAt'>;

/**
 * Probes an MCP server the way an agent's client would reach it, with the official SDK client
 * over the server's transport: connect, initialize, list every page of tools, close. Healthy when
 * all of that works; Degraded when it connects but the tool list fails or breaks off;
 * Unreachable when connecting or initializing fails. Messages never carry a granted value.
 */
export class McpProbe {
  readonly #secrets?: McpServerSecrets;
  readonly #timeoutMs: number;
  readonly #maxPages: number;
  readonly #stdio: boolean;

  constructor(options: McpProbeOptions = {}) {
    this.#stdio = options.stdio ?? true;
    this.#secrets = options.secrets;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#maxPages = options.maxPages ?? 50;
  }

  async probe(server: AgentMcpServer): Promise<McpProbeResult> {
    const probedAt = new Date();
    if (server.spec.transport === 'stdio' && !this.#stdio) {
      return {
        health: 'Unknown',
        reason: 'ProbeDisabled',
        message:
          'stdio servers are not probed on this backend (agents.mcp.probeStdio is false)',
        tools: [],
        probedAt,
      };
    }
    let values: Record<string, string> = {};
    if (this.#secrets && server.spec.secretRefs?.length) {
      try {
        values = await this.#secrets.forMcpServer(
          server.metadata.namespace,
          server.metadata.name,
        );
      } catch (error) {
        return {
          health: 'Unknown',
          reason: 'SecretsUnavailable',
          message: `Its secret values could not be resolved, so it was not probed: ${detail(
            error,
          )}`,
          tools: [],
          probedAt,
        };
      }
    }
    const outcome = await this.#probe(server, values);
    const redactor = new Redactor(Object.values(values));
    const missing =
      outcome.health === 'Healthy' ? '' : notGranted(server, values);
    return {
      ...outcome,
      message: redactor.redact(outcome.message + missing).text,
      tools: redactor.redactJson(outcome.tools),
      probedAt,
    };
  }

  async #probe(
    server: AgentMcpServer,
    values: Record<string, string>,
  ): Promise<Outcome> {
    const { spec } = server;
    let connection: ProbeTransport;
    try {
      connection = mcpTransport(spec, values);
    } catch (error) {
      if (error instanceof TransportSpecError) {
        return unreachable('InvalidSpec', error.message);
      }
      throw error;
    }
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new ProbeTimeoutError(this.#timeoutMs)),
      this.#timeoutMs,
    );
    const timedOut = new Promise<never>((_, reject) =>
      deadline.signal.addEventListener('abort', () =>
        reject(deadline.signal.reason),
      ),
    );
    timedOut.catch(() => {});
    // Transports do not all honour the signal (an SSE stream that never opens), so race it too.
    const within = <T>(work: Promise<T>) => Promise.race([work, timedOut]);
    const requestOptions = {
      signal: deadline.signal,
      timeout: this.#timeoutMs,
    };
    const client = new Client({ name: 'krate-agents-probe', version: '1.0.0' });
    try {
      try {
        await within(client.connect(connection.transport, requestOptions));
      } catch (error) {
        const failure = describeConnectFailure(
          deadline.signal.aborted ? deadline.signal.reason : error,
          spec,
          connection.stderrTail(),
        );
        return unreachable(failure.reason, failure.message);
      }
      const info = client.getServerVersion();
      const serverName = info ? `${info.name} ${info.version}` : 'The server';
      if (!client.getServerCapabilities()?.tools) {
        return healthy(
          [],
          `${serverName} answered initialize and offers no tools`,
        );
      }
      return await this.#listTools(client, serverName, within, requestOptions);
    } finally {
      clearTimeout(timer);
      await client.close().catch(() => {});
      connection.terminate();
    }
  }

  async #listTools(
    client: Client,
    serverName: string,
    within: <T>(work: Promise<T>) => Promise<T>,
    requestOptions: { signal: AbortSignal; timeout: number },
  ): Promise<Outcome> {
    const tools: DiscoveredTool[] = [];
    const cursors = new Set<string>();
    let cursor: string | undefined;
    for (let page = 1; ; page++) {
      let listed;
      try {
        listed = await within(
          client.listTools(cursor ? { cursor } : undefined, requestOptions),
        );
      } catch (error) {
        const why = requestOptions.signal.aborted
          ? `${formatSeconds(requestOptions.timeout)} passed`
          : detail(error);
        return tools.length
          ? degraded(
              'ToolListIncomplete',
              tools,
              `${serverName} answered initialize, but tools/list broke off at page ${page} (${why}); ${tools.length} tools were listed before`,
            )
          : degraded(
              'ToolListFailed',
              tools,
              `${serverName} answered initialize, but tools/list failed (${why})`,
            );
      }
      tools.push(...listed.tools.map(toDiscovered));
      cursor = listed.nextCursor;
      if (tools.length > MAX_TOOLS) {
        return degraded(
          'ToolListIncomplete',
          tools.slice(0, MAX_TOOLS),
          `${serverName} lists more than ${MAX_TOOLS} tools; the first ${MAX_TOOLS} are kept`,
        );
      }
      if (!cursor) break;
      if (cursors.has(cursor) || page >= this.#maxPages) {
        return degraded(
          'ToolListIncomplete',
          tools,
          `${serverName}'s tools/list did not end after ${page} pages${
            cursors.has(cursor) ? ' (a cursor repeats)' : ''
          }; ${tools.length} tools were listed`,
        );
      }
      cursors.add(cursor);
    }
    return healthy(
      tools,
      `${serverName} answered initialize and listed ${tools.length} tools`,
    );
  }
}

function toDiscovered(tool: {
  name: string;
  description?: string;
}): DiscoveredTool {
  return {
    name: tool.name,
    ...(tool.description
      ? { description: tool.description.slice(0, MAX_DESCRIPTION) }
      : {}),
  };
}

/** The spec's secret refs the resolved values lack: a failure may well come from them. */
function notGranted(
  server: AgentMcpServer,
  values: Record<string, string>,
): string {
  const caseless = server.spec.transport !== 'stdio';
  const have = new Set(
    Object.keys(values).map(k => (caseless ? k.toLowerCase() : k)),
  );
  const lacking = (server.spec.secretRefs ?? []).filter(
    ref => ref.env && !have.has(caseless ? ref.env.toLowerCase() : ref.env),
  );
  if (!lacking.length) return '';
  return `. Not granted to it: ${lacking
    .map(ref => `${ref.env} from Secret ${ref.name} key ${ref.key}`)
    .join(', ')}`;
}

function healthy(tools: DiscoveredTool[], message: string): Outcome {
  return { health: 'Healthy', reason: 'Healthy', message, tools };
}

function degraded(
  reason: string,
  tools: DiscoveredTool[],
  message: string,
): Outcome {
  return { health: 'Degraded', reason, message, tools };
}

function unreachable(reason: string, message: string): Outcome {
  return { health: 'Unreachable', reason, message, tools: [] };
}
