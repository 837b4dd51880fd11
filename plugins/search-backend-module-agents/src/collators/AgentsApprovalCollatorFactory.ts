import {
  AGENTS_APPROVAL_SEARCH_TYPE,
  searchReadPermission,
} from '@krate/plugin-agents-common';
import { DocumentCollatorFactory } from '@backstage/plugin-search-common';
import { Readable } from 'node:stream';
import { approvalSearchDocument } from './approvalSearchDocument';
import {
  AgentsIncrementalCollatorOptions,
  DEFAULT_MAX_DOCUMENTS,
} from './AgentsRunCollatorFactory';
import { IncrementalObjectDocuments } from './IncrementalObjectDocuments';

/**
 * Collects approvals, pending and decided, for search, incrementally like the runs collator:
 * from `GET /api/agents/approvals?changedAfter=`, keeping the latest `maxDocuments`.
 * @public
 */
export class AgentsApprovalCollatorFactory implements DocumentCollatorFactory {
  readonly type = AGENTS_APPROVAL_SEARCH_TYPE;
  readonly visibilityPermission = searchReadPermission;
  readonly #documents;

  private constructor(options: AgentsIncrementalCollatorOptions) {
    this.#documents = new IncrementalObjectDocuments(
      options,
      '/approvals',
      approvalSearchDocument,
      options.maxDocuments ?? DEFAULT_MAX_DOCUMENTS,
    );
  }

  static fromOptions(options: AgentsIncrementalCollatorOptions) {
    return new AgentsApprovalCollatorFactory(options);
  }

  async getCollator(): Promise<Readable> {
    return Readable.from(await this.#documents.pass());
  }
}
