import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import {
  createSearchResultListItemExtension,
  SearchResultListItemExtensionProps,
} from '@backstage/plugin-search-react';
import { agentsApiRef, AgentsClient } from './api';
import type { AgentsSearchResultListItemProps } from './components/AgentsSearchResultListItem';
import { isAgentsSearchResult } from './components/AgentsSearchResultListItem/isAgentsSearchResult';
import { entityContentRouteRef, rootRouteRef } from './routes';

/** The Agents plugin for the legacy frontend system. @public */
export const agentsPlugin = createPlugin({
  id: 'agents',
  routes: { root: rootRouteRef, entityContent: entityContentRouteRef },
  apis: [
    createApiFactory({
      api: agentsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new AgentsClient({ discoveryApi, fetchApi }),
    }),
  ],
});

/** The Agents page, for a route in the legacy app's `App.tsx`. @public */
export const AgentsPage = agentsPlugin.provide(
  createRoutableExtension({
    name: 'AgentsPage',
    component: () =>
      import('./components/AgentsRouter').then(m => m.AgentsRouter),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The Agents tab of a catalog entity whose `agents.krate.dev/repository` annotation names a
 * repository; gate its route with `isAgentsAvailable`. @public
 */
export const EntityAgentsContent = agentsPlugin.provide(
  createRoutableExtension({
    name: 'EntityAgentsContent',
    component: () =>
      import('./components/EntityAgentsContent').then(
        m => m.EntityAgentsContent,
      ),
    mountPoint: entityContentRouteRef,
  }),
);

/** A card of a catalog entity's recent agent runs and pending approvals. @public */
export const EntityAgentsCard = agentsPlugin.provide(
  createComponentExtension({
    name: 'EntityAgentsCard',
    component: {
      lazy: () =>
        import('./components/EntityAgentsCard').then(m => m.EntityAgentsCard),
    },
  }),
);

/**
 * Agents resources and memory records in a legacy app's search results: put it in the
 * `SearchResult` children of the search page. @public
 */
export const AgentsSearchResultListItem: (
  props: SearchResultListItemExtensionProps<AgentsSearchResultListItemProps>,
) => JSX.Element | null = agentsPlugin.provide(
  createSearchResultListItemExtension({
    name: 'AgentsSearchResultListItem',
    component: () =>
      import('./components/AgentsSearchResultListItem').then(
        m => m.AgentsSearchResultListItem,
      ),
    predicate: isAgentsSearchResult,
  }),
);
