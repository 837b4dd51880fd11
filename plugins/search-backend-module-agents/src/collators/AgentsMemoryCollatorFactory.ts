import {
  AGENTS_MEMORY_SEARCH_TYPE,
  memoryReadPermission,
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

/** A record of an org's company-brain memory, as the agents backend serves it. @public */
export interface AgentsMemorySearchDocument extends IndexableDocument {
  kind: string;
  namespace: string;
  path: string;
  commit: string;
}

/**
 * Collects the records of every org's memory for search, from the agents backend's
 * `GET /api/agents/memory/search-documents`. Results are filtered with the memory's own read
 * permission, per org; records scoped to a team are never served to the collator.
 * @public
 */
export class AgentsMemoryCollatorFactory implements DocumentCollatorFactory {
  readonly type = AGENTS_MEMORY_SEARCH_TYPE;
  readonly visibilityPermission = memoryReadPermission;

  private constructor(private readonly options: AgentsDocumentsSource) {}

  static fromOptions(options: AgentsDocumentsSource) {
    return new AgentsMemoryCollatorFactory(options);
  }

  async getCollator(): Promise<Readable> {
    return Readable.from(
      readAgentsDocuments<AgentsMemorySearchDocument>(
        this.options,
        '/memory/search-documents',
      ),
    );
  }
}
