import { AgentLaunch } from '@krate/plugin-agents-node';
import { mcpServerSecrets } from '../../mcpServerSecrets';

/** The `--mcp-config` document of an attempt and the servers it had to leave out. */
export interface ClaudeMcpConfig {
  /** Undefined when the stack mounts no server Claude Code can reach. */
  config?: { mcpServers: Record<string, object> };
  warnings: string[];
}

/**
 * The stack's MCP servers as Claude Code's `mcpServers`: a stdio server gets its granted values
 * in its environment, an http or sse server as request headers. The document may hold secret
 * values, so it goes into a private file, never onto the command line. A server whose secrets
 * were not granted is left out with a warning naming the key.
 */
export function claudeMcpConfig(launch: AgentLaunch): ClaudeMcpConfig {
  const servers: Record<string, object> = {};
  const warnings: string[] = [];
  for (const server of launch.profile.mcpServers) {
    const { name, spec } = server;
    const secrets = mcpServerSecrets(launch, server);
    const values = secrets.values ?? {};
    const withValues = (field: string) =>
      Object.keys(values).length ? { [field]: values } : {};
    if (secrets.missing !== undefined) {
      warnings.push(`MCP server ${name} is left out: ${secrets.missing}`);
    } else if (spec.transport === 'stdio' && spec.command) {
      servers[name] = {
        type: 'stdio',
        command: spec.command,
        args: spec.args ?? [],
        ...withValues('env'),
      };
    } else if (
      (spec.transport === 'http' || spec.transport === 'sse') &&
      spec.url
    ) {
      servers[name] = {
        type: spec.transport,
        url: spec.url,
        ...withValues('headers'),
      };
    } else {
      warnings.push(
        `MCP server ${name} has no usable endpoint; it is left out`,
      );
    }
  }
  return {
    config: Object.keys(servers).length ? { mcpServers: servers } : undefined,
    warnings,
  };
}
