import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  SearchFilterResultTypeBlueprint,
  SearchResultListItemBlueprint,
} from '@backstage/plugin-search-react/alpha';
import {
  AGENTS_APPROVAL_SEARCH_TYPE,
  AGENTS_MEMORY_SEARCH_TYPE,
  AGENTS_RUN_SEARCH_TYPE,
  AGENTS_SEARCH_TYPE,
} from '@krate/plugin-agents-common';
import GavelIcon from '@material-ui/icons/Gavel';
import MemoryIcon from '@material-ui/icons/Memory';
import PlayCircleIcon from '@material-ui/icons/PlayCircleOutline';
import SmartToyIcon from '@material-ui/icons/Android';
import { agentsApiRef, AgentsClient } from './api';
import { isAgentsSearchResult } from './components/AgentsSearchResultListItem/isAgentsSearchResult';
import { isAgentsAvailable } from './lib/isAgentsAvailable';
import { rootRouteRef } from './routes';

const agentsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: agentsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new AgentsClient({ discoveryApi, fetchApi }),
    }),
});

const agentsPage = PageBlueprint.make({
  params: {
    path: '/agents',
    title: 'Agents',
    icon: <SmartToyIcon />,
    routeRef: rootRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/AgentsRouter').then(m => <m.AgentsRouter />),
  },
});

const agentsEntityContent = EntityContentBlueprint.make({
  params: {
    path: 'agents',
    title: 'Agents',
    filter: isAgentsAvailable,
    loader: () =>
      import('./components/EntityAgentsContent').then(m => (
        <m.EntityAgentsContent />
      )),
  },
});

const agentsEntityCard = EntityCardBlueprint.make({
  params: {
    filter: isAgentsAvailable,
    loader: () =>
      import('./components/EntityAgentsCard').then(m => <m.EntityAgentsCard />),
  },
});

/** Agents resources, memory records, runs and approvals in the search page's results. */
const agentsSearchResultListItem = SearchResultListItemBlueprint.make({
  params: {
    predicate: isAgentsSearchResult,
    icon: <SmartToyIcon />,
    component: () =>
      import('./components/AgentsSearchResultListItem').then(
        m => m.AgentsSearchResultListItem,
      ),
  },
});

/**
 * The search page's result types: agents resources, memory records, runs and approvals. Runs and
 * approvals are types of their own, not a filter of "Agents": they are many more, and someone
 * looking for a stack rarely wants a thousand runs of it in between.
 */
const agentsSearchResultType = SearchFilterResultTypeBlueprint.make({
  name: 'agents',
  params: { value: AGENTS_SEARCH_TYPE, name: 'Agents', icon: <SmartToyIcon /> },
});
const memorySearchResultType = SearchFilterResultTypeBlueprint.make({
  name: 'agents-memory',
  params: {
    value: AGENTS_MEMORY_SEARCH_TYPE,
    name: 'Agents memory',
    icon: <MemoryIcon />,
  },
});
const runSearchResultType = SearchFilterResultTypeBlueprint.make({
  name: 'agents-run',
  params: {
    value: AGENTS_RUN_SEARCH_TYPE,
    name: 'Agent runs',
    icon: <PlayCircleIcon />,
  },
});
const approvalSearchResultType = SearchFilterResultTypeBlueprint.make({
  name: 'agents-approval',
  params: {
    value: AGENTS_APPROVAL_SEARCH_TYPE,
    name: 'Approvals',
    icon: <GavelIcon />,
  },
});

/** The Agents plugin for the new frontend system. @alpha */
export default createFrontendPlugin({
  pluginId: 'agents',
  title: 'Agents',
  icon: <SmartToyIcon />,
  routes: { root: rootRouteRef },
  extensions: [
    agentsApi,
    agentsPage,
    agentsEntityContent,
    agentsEntityCard,
    agentsSearchResultListItem,
    agentsSearchResultType,
    memorySearchResultType,
    runSearchResultType,
    approvalSearchResultType,
  ],
});
