/** The health an AgentMcpServer's status reports. */
export type McpHealth = 'Healthy' | 'Degraded' | 'Unreachable' | 'Unknown';

/** A tool the server listed. */
export interface DiscoveredTool {
  name: string;
  description?: string;
}

/** What one probe of an MCP server found. */
export interface McpProbeResult {
  health: McpHealth;
  /** The Ready condition's reason, e.g. `Healthy`, `Unauthorized`, `ToolListIncomplete`. */
  reason: string;
  /** Says why, in words; never holds a secret value. */
  message: string;
  /** The tools listed, in order; partial when the listing broke off. */
  tools: DiscoveredTool[];
  probedAt: Date;
}
