import { createRouteRef } from '@backstage/core-plugin-api';

/** The Agents page. @public */
export const rootRouteRef = createRouteRef({ id: 'agents' });
