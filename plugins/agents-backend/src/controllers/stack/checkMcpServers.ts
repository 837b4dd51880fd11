import { AgentStack, Condition } from '@krate/plugin-agents-common';
import { StackReferences } from './collectReferences';
import { StackProblem } from './stackConditions';

const UNHEALTHY = ['Degraded', 'Unreachable'];

/**
 * MCP servers the stack mounts: each must allow the stack, and one its prober reports unhealthy
 * (status.health, or a Ready condition that is False) is a warning — the run may still work
 * without it. A server never probed is not flagged. The probe time stays out of the message: it
 * moves with every probe, and the stack's status would be rewritten each time.
 */
export function checkMcpServers(
  stack: AgentStack,
  references: StackReferences,
): StackProblem[] {
  const ref = `AgentStack ${stack.metadata.namespace}/${stack.metadata.name}`;
  const problems: StackProblem[] = [];
  for (const server of references.mcpServers) {
    const name = `AgentMcpServer/${server.metadata.name}`;
    const allowed = server.spec.allowedStacks as string[] | undefined;
    if (allowed && !allowed.includes(stack.metadata.name)) {
      problems.push({
        severity: 'Invalid',
        reason: 'McpServerNotAllowed',
        message: `${name} allows only the stacks ${
          allowed.join(', ') || '(none)'
        }, not ${ref}. Add ${
          stack.metadata.name
        } to its spec.allowedStacks or remove it from spec.mcpServers.`,
      });
    }
    const health = server.status?.health as string | undefined;
    const ready = (server.status?.conditions as Condition[] | undefined)?.find(
      c => c.type === 'Ready',
    );
    if ((health && UNHEALTHY.includes(health)) || ready?.status === 'False') {
      const detail = [
        health ? `health ${health}` : undefined,
        ready?.status === 'False' && ready.message
          ? `"${ready.message}"`
          : undefined,
      ]
        .filter(Boolean)
        .join(', ');
      problems.push({
        severity: 'Warning',
        reason: 'McpServerUnhealthy',
        message: `${name}, mounted by ${ref}, is unhealthy (${detail}); runs will not reach its tools. Check the server's endpoint or command and its Secret references.`,
      });
    }
  }
  return problems;
}
