import { IndexableDocument } from '@backstage/plugin-search-common';

interface Entry<T> {
  document: T;
  resourceVersion: number;
}

/**
 * The documents of the latest-written objects, at most `maxDocuments` of them, and the resource
 * version they were read up to. Backstage's indexer replaces a type's documents on every pass, so
 * a collator that reads only what changed keeps the rest here between passes. An object deleted
 * in the agents backend is not told apart from one that did not change: its document stays until
 * later writes push it past the cap.
 */
export class BoundedDocumentCache<T extends IndexableDocument> {
  readonly #entries = new Map<string, Entry<T>>();
  #resourceVersion: string | undefined;

  constructor(readonly maxDocuments: number) {}

  /** The version the next read continues from; undefined before the first pass. */
  get resourceVersion(): string | undefined {
    return this.#resourceVersion;
  }

  /** Takes a pass's changes in, all at once, so a failed pass leaves the cache as it was. */
  merge(
    changes: { key: string; document: T; resourceVersion: number }[],
    resourceVersion: string,
  ) {
    for (const { key, document, resourceVersion: version } of changes) {
      const known = this.#entries.get(key);
      if (!known || known.resourceVersion < version) {
        this.#entries.set(key, { document, resourceVersion: version });
      }
    }
    if (this.#entries.size > this.maxDocuments) {
      const oldest = [...this.#entries.entries()]
        .sort(([, a], [, b]) => b.resourceVersion - a.resourceVersion)
        .slice(this.maxDocuments);
      for (const [key] of oldest) {
        this.#entries.delete(key);
      }
    }
    this.#resourceVersion = resourceVersion;
  }

  /** Every document kept, the latest written first. */
  documents(): T[] {
    return [...this.#entries.values()]
      .sort((a, b) => b.resourceVersion - a.resourceVersion)
      .map(entry => entry.document);
  }
}
