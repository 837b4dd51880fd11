import { AgentMcpServer } from '@krate/plugin-agents-common';

/** An AgentMcpServer in org `acme`, as a test writes it. */
export function mcpServerObject(
  name: string,
  spec: AgentMcpServer['spec'],
): AgentMcpServer {
  return {
    apiVersion: 'agents.krate.dev/v1alpha1',
    kind: 'AgentMcpServer',
    metadata: { namespace: 'acme', name },
    spec,
  };
}
