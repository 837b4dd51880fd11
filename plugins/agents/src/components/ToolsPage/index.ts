export { ToolsPage } from './ToolsPage';
