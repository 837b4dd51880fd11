import { createExtensionPoint } from '@backstage/backend-plugin-api';

/**
 * What an agent runtime can do. The stack controller checks a stack's needs against these.
 * @public
 */
export interface AgentRuntimeCapabilities {
  /** The runtime can dispatch subagents. */
  subagents: boolean;
  /** The runtime can connect MCP servers. */
  mcp: boolean;
  /** A finished or interrupted session can be resumed. */
  resume: boolean;
  /**
   * How approval gates are honoured: `enforced` when the runtime blocks until a decision,
   * `advisory` when its hooks fail open.
   */
  approvals: 'enforced' | 'advisory' | 'none';
}

/**
 * An agent runtime that modules contribute to the agents backend.
 * @public
 */
export interface AgentRuntime {
  /** Stable id that stacks name in `spec.runtime`, e.g. `scripted`. */
  readonly id: string;
  readonly displayName: string;
  readonly capabilities: AgentRuntimeCapabilities;
}

/**
 * Lets modules register agent runtimes with the agents backend.
 * @public
 */
export interface AgentsRuntimesExtensionPoint {
  addRuntime(runtime: AgentRuntime): void;
}

/**
 * Extension point for agent runtimes.
 * @public
 */
export const agentsRuntimesExtensionPoint =
  createExtensionPoint<AgentsRuntimesExtensionPoint>({
    id: 'agents.runtimes',
  });
