import { AgentStack } from '@krate/plugin-agents-common';
import { AgentRuntime } from '@krate/plugin-agents-node';
import { RuntimeRegistry } from '../../runtimes/RuntimeRegistry';
import { StoredResource } from '../../resources/ResourceStore';
import { StackReferences } from './collectReferences';
import { StackProblem } from './stackConditions';

function withCapability(
  runtimes: RuntimeRegistry,
  has: (runtime: AgentRuntime) => boolean,
) {
  const ids = runtimes
    .list()
    .filter(has)
    .map(r => r.id);
  return ids.length
    ? `a runtime that supports them (${ids.join(', ')})`
    : 'a runtime that supports them (none is registered)';
}

/** What the stack uses against what its runtime (and its subagents' runtimes) can do. */
export function checkCapabilities(
  stack: AgentStack,
  runtime: AgentRuntime,
  references: StackReferences,
  runtimes: RuntimeRegistry,
): StackProblem[] {
  const ref = `AgentStack ${stack.metadata.namespace}/${stack.metadata.name}`;
  const problems: StackProblem[] = [];
  const unsupported = (message: string) =>
    problems.push({
      severity: 'Invalid',
      reason: 'UnsupportedCapability',
      message,
    });

  const subagents = stack.spec.subagents ?? [];
  if (subagents.length && !runtime.capabilities.subagents) {
    unsupported(
      `${ref} lists subagents (${subagents.join(', ')}), but runtime '${
        runtime.id
      }' cannot dispatch subagents. Remove spec.subagents or set spec.runtime to ${withCapability(
        runtimes,
        r => r.capabilities.subagents,
      )}.`,
    );
  }
  const mcpServers = stack.spec.mcpServers ?? [];
  if (mcpServers.length && !runtime.capabilities.mcp) {
    unsupported(
      `${ref} mounts MCP servers (${mcpServers.join(', ')}), but runtime '${
        runtime.id
      }' cannot connect MCP servers. Remove spec.mcpServers or set spec.runtime to ${withCapability(
        runtimes,
        r => r.capabilities.mcp,
      )}.`,
    );
  }

  const checkSkill = (skill: StoredResource, runtimeId: string, by: string) => {
    const compatible = skill.spec.compatibleRuntimes as string[] | undefined;
    if (compatible && !compatible.includes(runtimeId)) {
      unsupported(
        `AgentSkill/${
          skill.metadata.name
        }, used by ${by}, works only with runtimes ${compatible.join(
          ', ',
        )}, not '${runtimeId}'. Use another skill or add '${runtimeId}' to its spec.compatibleRuntimes once it works there.`,
      );
    }
  };
  for (const skill of references.skills) {
    checkSkill(skill, runtime.id, ref);
  }
  for (const sub of references.subagents) {
    const subRuntime =
      (sub.object.spec.runtime as string | undefined) ?? runtime.id;
    const subRef = `AgentSubagent/${sub.object.metadata.name}`;
    if (!runtimes.get(subRuntime)) {
      problems.push({
        severity: 'Invalid',
        reason: 'RuntimeNotRegistered',
        message: `${subRef} names runtime '${subRuntime}', which no installed module registers (registered: ${
          runtimes
            .list()
            .map(r => r.id)
            .join(', ') || 'none'
        }). Set its spec.runtime to a registered runtime or leave it unset to use the stack's.`,
      });
    }
    for (const skill of sub.skills) {
      checkSkill(skill, subRuntime, subRef);
    }
  }
  return problems;
}
