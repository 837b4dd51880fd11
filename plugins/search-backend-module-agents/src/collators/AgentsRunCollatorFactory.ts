import {
  AGENTS_RUN_SEARCH_TYPE,
  searchReadPermission,
} from '@krate/plugin-agents-common';
import { DocumentCollatorFactory } from '@backstage/plugin-search-common';
import { Readable } from 'node:stream';
import { IncrementalObjectDocuments } from './IncrementalObjectDocuments';
import { AgentsDocumentsSource } from './readAgentsDocuments';
import { runSearchDocument } from './runSearchDocument';

/** Options of the incremental collators of runs and approvals. @public */
export interface AgentsIncrementalCollatorOptions
  extends AgentsDocumentsSource {
  /** How many documents the index keeps: the latest-written objects'. */
  maxDocuments?: number;
}

/** The default cap of the runs and approvals collators. @public */
export const DEFAULT_MAX_DOCUMENTS = 10_000;

/**
 * Collects dispatch runs for search, incrementally: each pass reads from
 * `GET /api/agents/runs?changedAfter=` only the runs written since the previous pass, and the
 * index keeps the latest `maxDocuments`.
 * @public
 */
export class AgentsRunCollatorFactory implements DocumentCollatorFactory {
  readonly type = AGENTS_RUN_SEARCH_TYPE;
  readonly visibilityPermission = searchReadPermission;
  readonly #documents;

  private constructor(options: AgentsIncrementalCollatorOptions) {
    this.#documents = new IncrementalObjectDocuments(
      options,
      '/runs',
      runSearchDocument,
      options.maxDocuments ?? DEFAULT_MAX_DOCUMENTS,
    );
  }

  static fromOptions(options: AgentsIncrementalCollatorOptions) {
    return new AgentsRunCollatorFactory(options);
  }

  async getCollator(): Promise<Readable> {
    return Readable.from(await this.#documents.pass());
  }
}
