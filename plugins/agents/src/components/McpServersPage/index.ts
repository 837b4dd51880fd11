export { McpServersPage } from './McpServersPage';
export { McpHealthChip } from './McpHealthChip';
export { mcpEndpoint } from './mcpEndpoint';
