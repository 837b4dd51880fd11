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
export * from './api';
export type { EntityAgentsCardProps } from './components/EntityAgentsCard';
export type { EntityAgentsContentProps } from './components/EntityAgentsContent';
export type { AgentsSearchResultListItemProps } from './components/AgentsSearchResultListItem';
export { entityContentRouteRef, rootRouteRef } from './routes';
