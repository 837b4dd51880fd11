import { LoggerService } from '@backstage/backend-plugin-api';
import { parseAgentsRepositoryRef } from '@krate/plugin-agents-common';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CatalogRepositories } from './CatalogRepositories';
import { RepositoryDefinition } from './RepositoryDefinition';
import { RepositoryMirrors } from './RepositoryMirrors';
import { isLocalUrl, localPath } from './repositoryUrl';

/** Where a repository's commits are on this host, ready to make worktrees of. */
export interface LocatedRepository {
  /** The repository to run `git worktree add` in. */
  path: string;
  /** `clone`: a clone under the repository roots; `cache`: the bare cache of a declared one. */
  kind: 'clone' | 'cache';
  definition?: RepositoryDefinition;
}

const CONFIGURATION = 'agents.repositories';

/** A known repository, without its URL (which may carry a host or path callers need not see). */
export interface RepositoryDescription {
  name: string;
  /** A clone under the repository roots, `agents.repositories`, or a catalog entity. */
  source: 'clone' | 'configuration' | 'catalog';
  /** `agents.repositories`, or the ref of the catalog entity that declares it. */
  declaredBy?: string;
}

export interface RepositoriesOptions {
  /** `agents.workspaces.repositoryRoots`: clones placed on the host. */
  repositoryRoots: string[];
  /** `agents.repositories`. */
  configured: RepositoryDefinition[];
  catalog?: CatalogRepositories;
  mirrors: RepositoryMirrors;
  logger: LoggerService;
}

/**
 * The repositories agents work on: a clone under the repository roots
 * (`<root>/<org>/<repository>` or `<root>/<repository>`) first, else one declared in
 * `agents.repositories`, else one a catalog entity declares — the last two through their bare
 * cache, fetched on demand. A catalog entity may only name a local repository inside the
 * repository roots, so registering an entity cannot expose any other repository on the host.
 */
export class Repositories {
  readonly #options: RepositoriesOptions;

  constructor(options: RepositoriesOptions) {
    this.#options = options;
  }

  /** Every folder provisioning may take a repository from: the repository roots and the cache. */
  get roots(): string[] {
    return [...this.#options.repositoryRoots, this.#options.mirrors.cacheDir];
  }

  /**
   * Whether `name` is a repository this backend can provision workspaces of, and where it is
   * declared; undefined when it is not (yet) known.
   */
  async describe(name: string): Promise<RepositoryDescription | undefined> {
    if (await this.#clone(name)) {
      return { name, source: 'clone' };
    }
    const definition = await this.definition(name);
    if (!definition) {
      return undefined;
    }
    return definition.declaredBy === CONFIGURATION
      ? { name, source: 'configuration', declaredBy: CONFIGURATION }
      : { name, source: 'catalog', declaredBy: definition.declaredBy };
  }

  /** The declared repository `name` (configuration first, then the catalog). */
  async definition(name: string): Promise<RepositoryDefinition | undefined> {
    const configured = this.#options.configured.find(d => d.name === name);
    if (configured) {
      return configured;
    }
    const fromCatalog = await this.#options.catalog?.get(name);
    if (fromCatalog && !(await this.#allowedCatalogSource(fromCatalog))) {
      this.#options.logger.warn(
        `Repository ${name} of ${fromCatalog.declaredBy} is a local path outside agents.workspaces.repositoryRoots; ignored`,
      );
      return undefined;
    }
    return fromCatalog;
  }

  /**
   * Where to provision a workspace of `name` from, its cache brought up to date for `ref`;
   * undefined when the repository is unknown here.
   */
  async locate(
    name: string,
    ref?: string,
  ): Promise<LocatedRepository | undefined> {
    const clone = await this.#clone(name);
    if (clone) {
      return { path: clone, kind: 'clone' };
    }
    const definition = await this.definition(name);
    if (!definition) {
      return undefined;
    }
    return {
      path: await this.#options.mirrors.prepare(definition, ref),
      kind: 'cache',
      definition,
    };
  }

  async #clone(name: string): Promise<string | undefined> {
    const ref = parseAgentsRepositoryRef(name);
    if (!ref) {
      return undefined;
    }
    for (const root of this.#options.repositoryRoots) {
      for (const candidate of [
        path.join(root, ref.org, ref.repository),
        path.join(root, ref.repository),
      ]) {
        if (await exists(path.join(candidate, '.git'))) {
          return candidate;
        }
      }
    }
    return undefined;
  }

  async #allowedCatalogSource(definition: RepositoryDefinition) {
    if (!isLocalUrl(definition.url)) {
      return true;
    }
    const real = await fs
      .realpath(localPath(definition.url))
      .catch(() => undefined);
    if (!real) {
      return false;
    }
    for (const root of this.#options.repositoryRoots) {
      const realRoot = await fs.realpath(root).catch(() => undefined);
      if (
        realRoot &&
        (real === realRoot || real.startsWith(`${realRoot}${path.sep}`))
      ) {
        return true;
      }
    }
    return false;
  }
}

async function exists(file: string) {
  return fs
    .stat(file)
    .then(() => true)
    .catch(() => false);
}
