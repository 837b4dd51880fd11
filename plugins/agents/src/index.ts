/**
 * The Krate Agents frontend plugin. The new frontend system's plugin is at `./alpha`.
 *
 * @packageDocumentation
 */

export { agentsPlugin, AgentsPage } from './plugin';
export { agentsApiRef, AgentsClient } from './api';
export type { AgentsApi } from './api';
export { rootRouteRef } from './routes';
