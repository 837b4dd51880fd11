import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

/** A tool the double offers; calling it answers `called <name>`. */
export interface DoubleTool {
  name: string;
  description?: string;
}

/** How the double's MCP server behaves, whatever transport carries it. */
export interface DoubleBehaviour {
  tools: DoubleTool[];
  /** Answer `tools/list` in pages of this many tools, with a `nextCursor`; unset answers all at once. */
  pageSize?: number;
  /** Told of each `tools/list` page asked for (0 is the first), before it is answered. */
  onToolsListPage?(page: number): void;
}

export const DOUBLE_SERVER_INFO = {
  name: 'krate-mcp-double',
  version: '1.0.0',
};

/** An MCP server built with the SDK's own server classes, offering the given tools. */
export function createDoubleServer(behaviour: DoubleBehaviour): McpServer {
  const server = new McpServer(DOUBLE_SERVER_INFO);
  for (const tool of behaviour.tools) {
    server.registerTool(
      tool.name,
      { description: tool.description },
      async () => ({
        content: [{ type: 'text', text: `called ${tool.name}` }],
      }),
    );
  }
  const { pageSize, onToolsListPage } = behaviour;
  if (pageSize !== undefined || onToolsListPage) {
    // McpServer answers tools/list in one page; the SDK lets the handler be replaced.
    server.server.setRequestHandler(ListToolsRequestSchema, request => {
      const size = pageSize ?? behaviour.tools.length;
      const offset = Number(request.params?.cursor ?? 0);
      onToolsListPage?.(size > 0 ? Math.floor(offset / size) : 0);
      const next = offset + size;
      return {
        tools: behaviour.tools.slice(offset, next).map(tool => ({
          name: tool.name,
          ...(tool.description ? { description: tool.description } : {}),
          inputSchema: { type: 'object' as const, properties: {} },
        })),
        ...(next < behaviour.tools.length ? { nextCursor: String(next) } : {}),
      };
    });
  }
  return server;
}
