import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';

/** How a collator reaches the agents backend. @public */
export interface AgentsDocumentsSource {
  discovery: DiscoveryService;
  auth: AuthService;
  logger: LoggerService;
  /** Documents fetched per request. */
  pageSize?: number;
}

interface DocumentsPage<T> {
  items: T[];
  continue?: string;
}

/**
 * Reads a documents route of the agents backend (`?limit=&continue=`) page by page, as the search
 * plugin. A backend without the route has nothing to index; any other failure fails the indexing
 * run rather than indexing a partial set.
 */
export async function* readAgentsDocuments<T>(
  source: AgentsDocumentsSource,
  route: string,
): AsyncGenerator<T> {
  const { discovery, auth, logger, pageSize = 500 } = source;
  const baseUrl = await discovery.getBaseUrl('agents');
  let cursor: string | undefined;
  do {
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'agents',
    });
    const query = new URLSearchParams({ limit: String(pageSize) });
    if (cursor) {
      query.set('continue', cursor);
    }
    const response = await fetch(`${baseUrl}${route}?${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (response.status === 404) {
      logger.warn(`The agents backend at ${baseUrl} serves no ${route}`);
      return;
    }
    if (!response.ok) {
      throw new Error(
        `Agents search documents request failed: ${response.status} ${response.statusText}`,
      );
    }
    const page = (await response.json()) as DocumentsPage<T>;
    yield* page.items;
    cursor = page.continue;
  } while (cursor);
}
