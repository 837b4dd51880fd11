import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { agentsApiRef, AgentsClient } from './api';
import { rootRouteRef } from './routes';

/** The Agents plugin for the legacy frontend system. @public */
export const agentsPlugin = createPlugin({
  id: 'agents',
  routes: { root: rootRouteRef },
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
