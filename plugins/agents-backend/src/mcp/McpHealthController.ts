import { LoggerService } from '@backstage/backend-plugin-api';
import { AgentMcpServer } from '@krate/plugin-agents-common';
import {
  ChangeFeedLoop,
  ChangeFeedTiming,
} from '../controllers/ChangeFeedLoop';
import { ResourceStore } from '../resources/ResourceStore';
import { McpProbe } from './McpProbe';
import { McpServerProbes } from './McpServerProbes';
import { MCP_GRANT_KINDS, ServersToProbe } from './ServersToProbe';

/** The actor of the controller's status writes in the audit trail. */
export const MCP_HEALTH_CONTROLLER_ACTOR = 'agents:mcp-health-controller';

export interface McpHealthControllerOptions extends ChangeFeedTiming {
  store: ResourceStore;
  probe: Pick<McpProbe, 'probe'>;
  logger: LoggerService;
  /** How many servers a round probes at once; default 4. */
  concurrency?: number;
}

/**
 * Keeps every AgentMcpServer's health, discovered tools and Ready condition current. The
 * scheduled round ({@link McpHealthController.probeAll}) probes every server of every org; in
 * between it follows the change feed, so a server that is created or whose spec changes, or
 * that a changed grant names, is probed at once. The stack controller sees the status writes and warns on unhealthy servers.
 */
export class McpHealthController extends ChangeFeedLoop {
  readonly #probes: McpServerProbes;

  constructor(options: McpHealthControllerOptions) {
    const probes = new McpServerProbes(options);
    super({
      ...options,
      name: 'MCP health controller',
      kinds: ['AgentMcpServer', ...MCP_GRANT_KINDS],
      reconciler: new ServersToProbe(
        options.store,
        probes,
        MCP_HEALTH_CONTROLLER_ACTOR,
      ),
      // Only unprobed servers: the scheduled round probes the rest.
      resyncMs: 3_600_000,
    });
    this.#probes = probes;
  }

  /** Probes every server now; answers how many came out with each health. */
  probeAll(): Promise<Record<string, number>> {
    return this.#probes.probeAll(MCP_HEALTH_CONTROLLER_ACTOR);
  }

  /** Probes one server now and records its status as `actor`; answers the stored object. */
  probe(server: AgentMcpServer, actor: string): Promise<AgentMcpServer> {
    return this.#probes.probeAndRecord(server, actor);
  }
}
