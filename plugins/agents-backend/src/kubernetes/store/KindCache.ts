import {
  decodeContinueToken,
  encodeContinueToken,
} from '../../database/continueToken';
import { matchesLabels } from '../../resources/labelSelector';
import { ListOptions, StoredResource } from '../../resources/ResourceStore';

function keyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function isBefore(a: StoredResource, b: StoredResource): boolean {
  const { namespace: na, name: a1 } = a.metadata;
  const { namespace: nb, name: b1 } = b.metadata;
  return na < nb || (na === nb && a1 < b1);
}

/**
 * The objects of one kind as the portal sees them (in orgs), listed in the database store's order
 * for configuration kinds — by namespace, then name — with the same continue tokens. Answers
 * copies: callers may change what they get.
 */
export class KindCache {
  readonly #kind: string;
  readonly #objects = new Map<string, StoredResource>();
  /** The objects in list order; rebuilt on the first list after a change. */
  #sorted?: StoredResource[];

  constructor(kind: string) {
    this.#kind = kind;
  }

  set(object: StoredResource): void {
    const { namespace, name } = object.metadata;
    this.#objects.set(keyOf(namespace, name), object);
    this.#sorted = undefined;
  }

  delete(object: StoredResource): void {
    const { namespace, name } = object.metadata;
    this.#objects.delete(keyOf(namespace, name));
    this.#sorted = undefined;
  }

  /** The cached object itself, for the store's own checks; not for callers. */
  peek(namespace: string, name: string): StoredResource | undefined {
    return this.#objects.get(keyOf(namespace, name));
  }

  get(namespace: string, name: string): StoredResource | undefined {
    const object = this.peek(namespace, name);
    return object && structuredClone(object);
  }

  findByName(name: string): StoredResource[] {
    return this.#inOrder()
      .filter(object => object.metadata.name === name)
      .slice(0, 2)
      .map(object => structuredClone(object));
  }

  list(options: ListOptions): {
    items: StoredResource[];
    continueToken?: string;
  } {
    const { namespace, allowedNamespaces, labelSelector, limit } = options;
    const sorted = this.#inOrder();
    let index = 0;
    if (options.continueToken) {
      const [afterNamespace, afterName] = decodeContinueToken(
        options.continueToken,
        this.#kind,
      ).map(String);
      const after = {
        metadata: { namespace: afterNamespace, name: afterName },
      } as StoredResource;
      index = firstIndex(sorted, object => isBefore(after, object));
    }
    const items: StoredResource[] = [];
    for (; index < sorted.length; index++) {
      const object = sorted[index];
      const { metadata } = object;
      if (namespace && metadata.namespace !== namespace) continue;
      if (allowedNamespaces && !allowedNamespaces.includes(metadata.namespace))
        continue;
      if (labelSelector && !matchesLabels(metadata.labels, labelSelector))
        continue;
      if (items.length === limit) {
        const last = items[items.length - 1].metadata;
        return {
          items,
          continueToken: encodeContinueToken(this.#kind, [
            last.namespace,
            last.name,
          ]),
        };
      }
      items.push(structuredClone(object));
    }
    return { items };
  }

  #inOrder(): StoredResource[] {
    this.#sorted ??= [...this.#objects.values()].sort((a, b) =>
      isBefore(a, b) ? -1 : 1,
    );
    return this.#sorted;
  }
}

/** The first index whose object satisfies `after`, which holds from some index on. */
function firstIndex(
  sorted: StoredResource[],
  after: (object: StoredResource) => boolean,
): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (after(sorted[middle])) high = middle;
    else low = middle + 1;
  }
  return low;
}
