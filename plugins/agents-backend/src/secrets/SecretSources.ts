import {
  AgentSecretSource,
  AgentsSecretSourcesExtensionPoint,
  SecretKeyRef,
  SecretObjectMetadata,
} from '@krate/plugin-agents-node';

/** What the sources hold for an org, without values, and which of them could not say. */
export interface SecretListing {
  /** One entry per Secret or ConfigMap: keys of every source, `from` the first that holds it. */
  objects: SecretObjectMetadata[];
  unavailable: { from: string; message: string }[];
}

/** Whether the listing holds the key. */
export function listingHolds(listing: SecretListing, ref: SecretKeyRef) {
  return listing.objects.some(
    o =>
      o.source === ref.source &&
      o.name === ref.name &&
      o.keys.includes(ref.key),
  );
}

/**
 * The secret sources of the backend, in the order they were added (configuration first): the
 * first source that holds a key wins. Implements the extension point modules add sources with.
 */
export class SecretSources implements AgentsSecretSourcesExtensionPoint {
  readonly #sources: AgentSecretSource[] = [];

  constructor(sources: AgentSecretSource[] = []) {
    sources.forEach(source => this.addSource(source));
  }

  addSource(source: AgentSecretSource): void {
    if (this.#sources.some(s => s.id === source.id)) {
      throw new Error(
        `A secret source with id '${source.id}' is already registered`,
      );
    }
    this.#sources.push(source);
  }

  get ids(): string[] {
    return this.#sources.map(s => s.id);
  }

  /** The sources, in order. */
  get sources(): AgentSecretSource[] {
    return [...this.#sources];
  }

  /** Every source's objects, merged; a source that fails is named in `unavailable`. */
  async list(org: string): Promise<SecretListing> {
    const answers = await Promise.allSettled(
      this.#sources.map(source => source.list(org)),
    );
    const merged = new Map<string, SecretObjectMetadata>();
    const unavailable: SecretListing['unavailable'] = [];
    answers.forEach((answer, i) => {
      if (answer.status === 'rejected') {
        unavailable.push({
          from: this.#sources[i].id,
          message: String(answer.reason?.message ?? answer.reason),
        });
        return;
      }
      for (const object of answer.value) {
        const id = `${object.source}/${object.name}`;
        const first = merged.get(id);
        if (!first) {
          merged.set(id, { ...object, keys: [...object.keys] });
          continue;
        }
        for (const key of object.keys) {
          if (!first.keys.includes(key)) first.keys.push(key);
        }
      }
    });
    return { objects: [...merged.values()], unavailable };
  }

  /** The value of the first source that holds the key, with that source's id. */
  async read(
    org: string,
    ref: SecretKeyRef,
  ): Promise<{ value: string; from: string } | undefined> {
    for (const source of this.#sources) {
      const value = await source.read(org, ref);
      if (value !== undefined) return { value, from: source.id };
    }
    return undefined;
  }
}
