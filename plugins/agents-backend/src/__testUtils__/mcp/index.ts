export { startMcpServerDouble } from './startMcpServerDouble';
export type {
  McpServerDouble,
  McpServerDoubleOptions,
} from './startMcpServerDouble';
export {
  stdioDoubleCommand,
  STDIO_DOUBLE_TOKEN_ENV,
} from './stdioDoubleCommand';
export type { StdioDoubleOptions } from './stdioDoubleCommand';
export type { DoubleTool } from './createDoubleServer';
export { mcpServerObject } from './mcpServerObject';
