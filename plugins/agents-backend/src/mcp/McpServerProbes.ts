import { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { AgentMcpServer } from '@krate/plugin-agents-common';
import { ResourceStore } from '../resources/ResourceStore';
import { mcpServerStatus } from './mcpServerStatus';
import { McpProbe } from './McpProbe';

const PAGE = 500;

export interface McpServerProbesOptions {
  store: ResourceStore;
  probe: Pick<McpProbe, 'probe'>;
  logger: LoggerService;
  /** How many servers are probed at once; default 4. */
  concurrency?: number;
}

/** Probes MCP servers and records what each probe found in the server's status. */
export class McpServerProbes {
  readonly #options: McpServerProbesOptions;

  constructor(options: McpServerProbesOptions) {
    this.#options = options;
  }

  /**
   * Probes the server and writes its status as `actor`, atomically over the stored status: the
   * spec may change while the probe runs, and observedGeneration then still names the
   * generation that was probed. Answers the stored object.
   */
  async probeAndRecord(
    server: AgentMcpServer,
    actor: string,
  ): Promise<AgentMcpServer> {
    const result = await this.#options.probe.probe(server);
    const { namespace, name, generation } = server.metadata;
    const before = server.status?.health;
    const written = (await this.#options.store.patchStatus(
      { kind: 'AgentMcpServer', namespace, name },
      status => mcpServerStatus(status, result, generation),
      { actor },
    )) as AgentMcpServer;
    if (before !== result.health) {
      this.#options.logger.info(
        `AgentMcpServer ${namespace}/${name} is ${result.health} (${result.reason})`,
      );
    }
    return written;
  }

  /** Probes every server of every org, a few at a time; answers how many of each health. */
  async probeAll(actor: string): Promise<Record<string, number>> {
    const servers = await this.#listAll();
    const counts: Record<string, number> = {};
    let next = 0;
    const worker = async () => {
      while (next < servers.length) {
        const server = servers[next++];
        const health = await this.#probeQuietly(server, actor);
        counts[health] = (counts[health] ?? 0) + 1;
      }
    };
    const workers = Math.min(this.#options.concurrency ?? 4, servers.length);
    await Promise.all(Array.from({ length: workers }, worker));
    return counts;
  }

  /** Probes and records, logging instead of throwing; answers the health, or `Failed`. */
  async #probeQuietly(server: AgentMcpServer, actor: string): Promise<string> {
    try {
      const written = await this.probeAndRecord(server, actor);
      return written.status?.health ?? 'Unknown';
    } catch (error) {
      // Deleted while it was probed: nothing to record.
      if (isError(error) && error.name === 'NotFoundError') return 'Deleted';
      const { namespace, name } = server.metadata;
      this.#options.logger.warn(
        `Could not probe AgentMcpServer ${namespace}/${name}`,
        isError(error) ? error : undefined,
      );
      return 'Failed';
    }
  }

  async #listAll(): Promise<AgentMcpServer[]> {
    const servers: AgentMcpServer[] = [];
    let continueToken: string | undefined;
    do {
      const page = await this.#options.store.list('AgentMcpServer', {
        limit: PAGE,
        continueToken,
      });
      servers.push(...(page.items as AgentMcpServer[]));
      continueToken = page.continueToken;
    } while (continueToken);
    return servers;
  }
}
