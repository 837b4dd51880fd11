export { WorkspacesPage } from './WorkspacesPage';
export { WorkspacesTable } from './WorkspacesTable';
