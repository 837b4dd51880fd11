export { RunWorkspaceState } from './RunWorkspaceState';
export { workspaceStateOf } from './workspaceStateOf';
export type { RunWorkspaceStateProps } from './RunWorkspaceState';
