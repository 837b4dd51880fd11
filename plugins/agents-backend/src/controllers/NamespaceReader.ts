import { ResourceStore, StoredResource } from '../resources/ResourceStore';

const PAGE = 500;

/**
 * Reads objects of one namespace, each at most once: a pass that reconciles every object of a
 * namespace shares one reader, so objects that refer to the same objects cost one read.
 */
export class NamespaceReader {
  readonly #store: ResourceStore;
  readonly namespace: string;
  readonly #gets = new Map<string, Promise<StoredResource | undefined>>();
  readonly #lists = new Map<string, Promise<StoredResource[]>>();

  constructor(store: ResourceStore, namespace: string) {
    this.#store = store;
    this.namespace = namespace;
  }

  get(kind: string, name: string): Promise<StoredResource | undefined> {
    const key = `${kind}/${name}`;
    let read = this.#gets.get(key);
    if (!read) {
      read = this.#store.get(kind, this.namespace, name);
      this.#gets.set(key, read);
    }
    return read;
  }

  list(kind: string): Promise<StoredResource[]> {
    let read = this.#lists.get(kind);
    if (!read) {
      read = this.#listAll(kind);
      this.#lists.set(kind, read);
    }
    return read;
  }

  async #listAll(kind: string): Promise<StoredResource[]> {
    const items: StoredResource[] = [];
    let continueToken: string | undefined;
    do {
      const page = await this.#store.list(kind, {
        namespace: this.namespace,
        limit: PAGE,
        continueToken,
      });
      items.push(...page.items);
      continueToken = page.continueToken;
    } while (continueToken);
    return items;
  }
}
