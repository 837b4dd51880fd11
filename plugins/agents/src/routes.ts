import { createRouteRef } from '@backstage/core-plugin-api';

/** The Agents page. @public */
export const rootRouteRef = createRouteRef({ id: 'agents' });

/** The Agents tab of a catalog entity (legacy frontend system). @public */
export const entityContentRouteRef = createRouteRef({ id: 'agents:entity' });
