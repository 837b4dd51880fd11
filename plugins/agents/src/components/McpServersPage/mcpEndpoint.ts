import { AgentMcpServer } from '@krate/plugin-agents-common';

/** Where the server is: its URL (http, sse) or the command line the runner starts (stdio). */
export function mcpEndpoint(server: AgentMcpServer): string {
  const { transport, url, command, args = [] } = server.spec;
  if (transport === 'stdio') {
    return command ? [command, ...args].join(' ') : '—';
  }
  return url ?? '—';
}
