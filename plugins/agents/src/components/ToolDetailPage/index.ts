export { ToolDetailPage } from './ToolDetailPage';
