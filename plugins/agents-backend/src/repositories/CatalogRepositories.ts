import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AGENTS_REPOSITORY_ANNOTATION,
  getAgentsRepositoryRef,
} from '@krate/plugin-agents-common';
import { RepositoryDefinition } from './RepositoryDefinition';
import { cloneUrlFromSourceLocation } from './repositoryUrl';

const SOURCE_LOCATION_ANNOTATION = 'backstage.io/source-location';

export interface CatalogRepositoriesOptions {
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  /**
   * Hosts a catalog entity's web URL may point at (those of the `integrations` configuration),
   * so an entity cannot make the backend fetch from anywhere.
   */
  allowedHosts: string[];
  /** How long one read of the catalog is used; default 60 seconds. */
  refreshMs?: number;
  /**
   * How old a read may be before a name it lacks is looked up again; default 5 seconds. A
   * repository a template has just registered is found without waiting for `refreshMs`.
   */
  missRefreshMs?: number;
  now?: () => number;
}

/**
 * The repositories catalog entities declare: every entity with the `agents.krate.dev/repository`
 * annotation and a `backstage.io/source-location` to clone from. The catalog is read lazily and
 * at most once per `refreshMs`; when it cannot be read (no catalog plugin, catalog down) that is
 * logged and counts as no catalog repositories until the next read.
 */
export class CatalogRepositories {
  readonly #options: CatalogRepositoriesOptions;
  readonly #refreshMs: number;
  readonly #missRefreshMs: number;
  readonly #now: () => number;
  #cache?: {
    readAt: number;
    byName: Map<string, RepositoryDefinition>;
    failed: boolean;
  };
  #reading?: Promise<Map<string, RepositoryDefinition>>;

  constructor(options: CatalogRepositoriesOptions) {
    this.#options = options;
    this.#refreshMs = options.refreshMs ?? 60_000;
    this.#missRefreshMs = Math.min(
      options.missRefreshMs ?? 5_000,
      this.#refreshMs,
    );
    this.#now = options.now ?? Date.now;
  }

  async get(name: string): Promise<RepositoryDefinition | undefined> {
    const known = (await this.list()).get(name);
    // A catalog that could not be read is asked again only after the refresh interval.
    if (known || this.#cache?.failed || this.#age() < this.#missRefreshMs) {
      return known;
    }
    return (await this.list(this.#missRefreshMs)).get(name);
  }

  async list(
    maxAgeMs = this.#refreshMs,
  ): Promise<Map<string, RepositoryDefinition>> {
    if (this.#cache && this.#age() < maxAgeMs) {
      return this.#cache.byName;
    }
    this.#reading ??= this.#read().finally(() => {
      this.#reading = undefined;
    });
    return this.#reading;
  }

  async #read(): Promise<Map<string, RepositoryDefinition>> {
    const { catalog, auth, logger } = this.#options;
    const byName = new Map<string, RepositoryDefinition>();
    let failed = false;
    try {
      const { items } = await catalog.getEntities(
        {
          filter: {
            [`metadata.annotations.${AGENTS_REPOSITORY_ANNOTATION}`]:
              CATALOG_FILTER_EXISTS,
          },
          fields: [
            'kind',
            'metadata.namespace',
            'metadata.name',
            'metadata.annotations',
          ],
        },
        { credentials: await auth.getOwnServiceCredentials() },
      );
      for (const entity of items) {
        const ref = getAgentsRepositoryRef(entity);
        const entityRef = `${entity.kind.toLocaleLowerCase('en-US')}:${
          entity.metadata.namespace ?? 'default'
        }/${entity.metadata.name}`;
        const location =
          entity.metadata.annotations?.[SOURCE_LOCATION_ANNOTATION];
        const source = location && cloneUrlFromSourceLocation(location);
        if (!ref || !source) {
          continue;
        }
        if (!this.#allowedUrl(source.url)) {
          logger.warn(
            `Catalog entity ${entityRef} declares repository ${ref.org}/${ref.repository} on a host without an integration; ignored`,
          );
          continue;
        }
        const name = `${ref.org}/${ref.repository}`;
        if (byName.has(name)) {
          logger.warn(
            `Catalog entities ${
              byName.get(name)!.declaredBy
            } and ${entityRef} both declare repository ${name}; using the first`,
          );
          continue;
        }
        byName.set(name, {
          name,
          url: source.url,
          ...(source.branch ? { defaultBranch: source.branch } : {}),
          declaredBy: entityRef,
        });
      }
    } catch (error) {
      logger.warn(
        `Cannot read repositories from the catalog, continuing without them: ${error}`,
      );
      failed = true;
    }
    this.#cache = { readAt: this.#now(), byName, failed };
    return byName;
  }

  #age() {
    return this.#cache ? this.#now() - this.#cache.readAt : Infinity;
  }

  #allowedUrl(url: string) {
    if (!/^https?:/.test(url)) {
      return true;
    }
    const host = new URL(url).host.toLocaleLowerCase('en-US');
    return this.#options.allowedHosts.some(
      allowed => allowed.toLocaleLowerCase('en-US') === host,
    );
  }
}
