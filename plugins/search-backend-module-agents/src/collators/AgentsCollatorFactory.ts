import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { AGENTS_SEARCH_TYPE } from '@krate/plugin-agents-common';
import {
  DocumentCollatorFactory,
  IndexableDocument,
} from '@backstage/plugin-search-common';
import { Readable } from 'node:stream';

/** A searchable agents resource, as the agents backend serves it. @public */
export interface AgentsSearchDocument extends IndexableDocument {
  kind: string;
  namespace: string;
}

interface DocumentsPage {
  items: AgentsSearchDocument[];
  continue?: string;
}

/** Options of {@link AgentsCollatorFactory}. @public */
export interface AgentsCollatorFactoryOptions {
  discovery: DiscoveryService;
  auth: AuthService;
  logger: LoggerService;
  /** Documents fetched per request. */
  pageSize?: number;
}

/**
 * Collects agents resources for search, page by page from the agents backend's
 * `GET /api/agents/search/documents?limit=&continue=`.
 * @public
 */
export class AgentsCollatorFactory implements DocumentCollatorFactory {
  readonly type = AGENTS_SEARCH_TYPE;

  private constructor(private readonly options: AgentsCollatorFactoryOptions) {}

  static fromOptions(options: AgentsCollatorFactoryOptions) {
    return new AgentsCollatorFactory(options);
  }

  async getCollator(): Promise<Readable> {
    return Readable.from(this.documents());
  }

  private async *documents(): AsyncGenerator<AgentsSearchDocument> {
    const { discovery, auth, logger, pageSize = 500 } = this.options;
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
      const response = await fetch(`${baseUrl}/search/documents?${query}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (response.status === 404) {
        // An agents backend without the route (not installed, or older) has nothing to index.
        logger.warn(
          `The agents backend at ${baseUrl} serves no search documents`,
        );
        return;
      }
      if (!response.ok) {
        throw new Error(
          `Agents search documents request failed: ${response.status} ${response.statusText}`,
        );
      }
      const page = (await response.json()) as DocumentsPage;
      yield* page.items;
      cursor = page.continue;
    } while (cursor);
  }
}
