export { McpServerDetailPage } from './McpServerDetailPage';
