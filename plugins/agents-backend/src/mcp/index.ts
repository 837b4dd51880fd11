export {
  McpHealthController,
  MCP_HEALTH_CONTROLLER_ACTOR,
} from './McpHealthController';
export type { McpHealthControllerOptions } from './McpHealthController';
export { McpProbe } from './McpProbe';
export type { McpProbeOptions } from './McpProbe';
export type {
  McpHealth,
  McpProbeResult,
  DiscoveredTool,
} from './McpProbeResult';
export type { McpServerSecrets } from './McpServerSecrets';
export { readMcpProbeConfig } from './readMcpProbeConfig';
export type { McpProbeConfig } from './readMcpProbeConfig';
