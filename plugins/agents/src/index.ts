/**
 * The Krate Agents frontend plugin. The new frontend system's plugin is at `./alpha`.
 *
 * @packageDocumentation
 */

export {
  agentsPlugin,
  AgentsPage,
  AgentsSearchResultListItem,
  EntityAgentsCard,
  EntityAgentsContent,
} from './plugin';
export { isAgentsAvailable } from './lib/isAgentsAvailable';
export { AGENTS_REPOSITORY_ANNOTATION } from '@krate/plugin-agents-common';
export { agentsApiRef, AgentsClient } from './api';
export type { AgentsApi } from './api';
export { entityContentRouteRef, rootRouteRef } from './routes';
