import { AgentMcpServer } from '@krate/plugin-agents-common';
import { stampConditions } from '../controllers/stampConditions';
import { McpHealth, McpProbeResult } from './McpProbeResult';

const READY_STATUS: Record<McpHealth, 'True' | 'False' | 'Unknown'> = {
  Healthy: 'True',
  Degraded: 'False',
  Unreachable: 'False',
  Unknown: 'Unknown',
};

/**
 * The status a probe leaves on the server, its other status fields kept: health, the probe's
 * time, the tools it listed and a Ready condition saying why. A probe that never reached the
 * server keeps the tools the last one that did listed; the health says they may be stale.
 */
export function mcpServerStatus(
  status: AgentMcpServer['status'],
  result: McpProbeResult,
  generation: number | undefined,
): NonNullable<AgentMcpServer['status']> {
  const reached = result.health === 'Healthy' || result.health === 'Degraded';
  const { discoveredTools, ...rest } = status ?? {};
  const tools = reached ? result.tools : discoveredTools;
  return {
    ...rest,
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
    health: result.health,
    lastProbeTime: result.probedAt.toISOString(),
    ...(tools ? { discoveredTools: tools } : {}),
    conditions: [
      ...(status?.conditions ?? []).filter(c => c.type !== 'Ready'),
      ...stampConditions(
        [
          {
            type: 'Ready',
            status: READY_STATUS[result.health],
            reason: result.reason,
            message: result.message,
          },
        ],
        status?.conditions,
        result.probedAt,
      ),
    ],
  };
}
