import { SecretKeyRef } from '@krate/plugin-agents-node';

/** An MCP server, skill or other consumer as a launch profile carries it. */
export interface NamedSpec {
  name: string;
  spec: Record<string, any>;
}

/** One key a consumer needs from a Secret or ConfigMap, and where it says so. */
export interface SecretNeed extends SecretKeyRef {
  consumer: { kind: 'mcp-server' | 'skill'; name: string };
  /** Where the need is declared, e.g. `AgentMcpServer/github spec.secretRefs[0]`. */
  field: string;
  /** For an MCP server: the environment variable or HTTP header that receives the value. */
  env?: string;
}

/**
 * Every Secret and ConfigMap key the MCP servers (`spec.secretRefs`) and skills
 * (`spec.requiredSecrets`, `spec.requiredConfig`) need; a skill listed twice counts once.
 */
export function secretNeedsOf(consumers: {
  mcpServers: NamedSpec[];
  skills: NamedSpec[];
}): SecretNeed[] {
  const needs: SecretNeed[] = [];
  for (const server of consumers.mcpServers) {
    const refs = (server.spec.secretRefs ?? []) as {
      name: string;
      key: string;
      env?: string;
    }[];
    refs.forEach((r, i) =>
      needs.push({
        source: 'Secret',
        name: r.name,
        key: r.key,
        consumer: { kind: 'mcp-server', name: server.name },
        field: `AgentMcpServer/${server.name} spec.secretRefs[${i}]`,
        ...(r.env ? { env: r.env } : {}),
      }),
    );
  }
  const skills = new Map<string, NamedSpec>();
  for (const skill of consumers.skills) skills.set(skill.name, skill);
  for (const skill of skills.values()) {
    for (const [source, field] of [
      ['Secret', 'requiredSecrets'],
      ['ConfigMap', 'requiredConfig'],
    ] as const) {
      const refs = (skill.spec[field] ?? []) as { name: string; key: string }[];
      refs.forEach((r, i) =>
        needs.push({
          source,
          name: r.name,
          key: r.key,
          consumer: { kind: 'skill', name: skill.name },
          field: `AgentSkill/${skill.name} spec.${field}[${i}]`,
        }),
      );
    }
  }
  return needs;
}

/** `Secret github-mcp key token (AgentMcpServer/github spec.secretRefs[0])`, for messages. */
export function describeNeed(need: SecretNeed): string {
  return `${need.source} ${need.name} key ${need.key} (${need.field})`;
}
