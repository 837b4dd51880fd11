import { Config } from '@backstage/config';
import { McpProbeOptions } from './McpProbe';

/** How MCP servers are probed, from `agents.mcp`. */
export interface McpProbeConfig {
  /** Time between scheduled rounds over every server. */
  intervalSeconds: number;
  probe: Pick<McpProbeOptions, 'timeoutMs' | 'stdio'>;
}

export function readMcpProbeConfig(config: Config): McpProbeConfig {
  const mcp = config.getOptionalConfig('agents.mcp');
  return {
    intervalSeconds: mcp?.getOptionalNumber('probeIntervalSeconds') ?? 300,
    probe: {
      timeoutMs: (mcp?.getOptionalNumber('probeTimeoutSeconds') ?? 10) * 1000,
      stdio: mcp?.getOptionalBoolean('probeStdio') ?? true,
    },
  };
}
