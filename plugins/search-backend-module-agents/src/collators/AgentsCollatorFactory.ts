import {
  AGENTS_SEARCH_TYPE,
  searchReadPermission,
} from '@krate/plugin-agents-common';
import {
  DocumentCollatorFactory,
  IndexableDocument,
} from '@backstage/plugin-search-common';
import { Readable } from 'node:stream';
import {
  AgentsDocumentsSource,
  readAgentsDocuments,
} from './readAgentsDocuments';

/** A searchable agents resource, as the agents backend serves it. @public */
export interface AgentsSearchDocument extends IndexableDocument {
  kind: string;
  namespace: string;
}

/** Options of {@link AgentsCollatorFactory}. @public */
export type AgentsCollatorFactoryOptions = AgentsDocumentsSource;

/**
 * Collects agents resources for search, page by page from the agents backend's
 * `GET /api/agents/search/documents?limit=&continue=`.
 * @public
 */
export class AgentsCollatorFactory implements DocumentCollatorFactory {
  readonly type = AGENTS_SEARCH_TYPE;
  /** Decided per document on the object it stands for, so results follow org-scoped policies. */
  readonly visibilityPermission = searchReadPermission;

  private constructor(private readonly options: AgentsCollatorFactoryOptions) {}

  static fromOptions(options: AgentsCollatorFactoryOptions) {
    return new AgentsCollatorFactory(options);
  }

  async getCollator(): Promise<Readable> {
    return Readable.from(this.documents());
  }

  private documents(): AsyncGenerator<AgentsSearchDocument> {
    return readAgentsDocuments(this.options, '/search/documents');
  }
}
