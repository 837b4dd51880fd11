export { WorkspaceDetailPage } from './WorkspaceDetailPage';
