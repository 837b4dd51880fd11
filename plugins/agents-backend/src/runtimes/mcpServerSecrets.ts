import { AgentLaunch } from '@krate/plugin-agents-node';
import { envNameOf } from '../kubernetes/pods/runnerSecretEnv';

/** One of an MCP server's `spec.secretRefs`. */
interface McpSecretRef {
  name: string;
  key: string;
  env?: string;
}

/**
 * What a runtime may give an MCP server: the granted values by environment variable (stdio) or
 * HTTP header (http, sse), or why the server has to be left out. `missing` names the key and
 * never holds a value, so it can go into a warning.
 */
export type McpServerSecrets =
  | { values: Record<string, string>; missing?: undefined }
  | { missing: string; values?: undefined };

/**
 * The values of `launch.secrets` that belong to one MCP server, one per `spec.secretRefs` entry,
 * under the variable or header the entry names (its key made a variable name when it names
 * none). A server that needs no secrets gets an empty map.
 */
export function mcpServerSecrets(
  launch: AgentLaunch,
  server: { name: string; spec: Record<string, any> },
): McpServerSecrets {
  const refs: McpSecretRef[] = server.spec.secretRefs ?? [];
  const servers = launch.secrets?.mcpServers ?? {};
  const granted = Object.hasOwn(servers, server.name)
    ? servers[server.name]
    : {};
  const entries: [string, string][] = [];
  for (const ref of refs) {
    const target = ref.env ?? envNameOf(ref.key);
    const value = Object.hasOwn(granted, target) ? granted[target] : undefined;
    if (typeof value !== 'string') {
      return {
        missing: `Secret ${ref.name} key ${ref.key} (as ${target}) was not granted to this attempt`,
      };
    }
    entries.push([target, value]);
  }
  return { values: Object.fromEntries(entries) };
}
