import { IndexableDocument } from '@backstage/plugin-search-common';
import { AgentsObject } from '@krate/plugin-agents-common';
import { BoundedDocumentCache } from './BoundedDocumentCache';
import { readChangedObjects } from './readChangedObjects';
import { AgentsDocumentsSource } from './readAgentsDocuments';

/**
 * The search documents of one execution kind, kept up to date pass by pass: each pass reads from
 * the agents backend only the objects written since the previous one (the first pass, the latest
 * `maxDocuments`), and answers every document the bounded cache holds.
 */
export class IncrementalObjectDocuments<T extends IndexableDocument> {
  readonly #cache: BoundedDocumentCache<T>;

  constructor(
    private readonly source: AgentsDocumentsSource,
    private readonly route: string,
    private readonly toDocument: (object: AgentsObject) => T,
    maxDocuments: number,
  ) {
    this.#cache = new BoundedDocumentCache<T>(maxDocuments);
  }

  async pass(): Promise<T[]> {
    const { objects, resourceVersion } = await readChangedObjects(
      this.source,
      this.route,
      {
        changedAfter: this.#cache.resourceVersion ?? '0',
        max: this.#cache.maxDocuments,
      },
    );
    this.#cache.merge(
      objects.map(object => ({
        key: `${object.metadata.namespace}/${object.metadata.name}`,
        document: this.toDocument(object),
        resourceVersion: Number(object.metadata.resourceVersion),
      })),
      resourceVersion,
    );
    this.source.logger.info(
      `Indexed ${objects.length} changed objects of ${this.route}; ${
        this.#cache.documents().length
      } documents kept`,
    );
    return this.#cache.documents();
  }
}
