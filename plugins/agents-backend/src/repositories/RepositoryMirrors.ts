import { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { parseAgentsRepositoryRef } from '@krate/plugin-agents-common';
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { GitCli } from '../workspaces/GitCli';
import { FETCHED_REFS } from '../workspaces/resolveRef';
import { GitCredentials } from './GitCredentials';
import { RepositoryDefinition } from './RepositoryDefinition';
import { redactUrls } from './repositoryUrl';

export interface RepositoryMirrorsOptions {
  /** `<cacheDir>/<org>/<repository>.git` holds each repository's cache. */
  cacheDir: string;
  /** A repository is fetched at most once per this many milliseconds. */
  fetchIntervalMs: number;
  logger: LoggerService;
  /** For clones and fetches, which may take long; default: a 10 minute timeout per command. */
  git?: GitCli;
  now?: () => number;
  /** Credentials for a remote whose definition brings none (the `integrations` config's). */
  credentialsFor?: (url: string) => Promise<GitCredentials | undefined>;
}

/**
 * Keeps a bare cache of each repository, cloned once and fetched on demand, that workspaces are
 * git worktrees of. The cache is not a `git clone --mirror`: a mirror's `+refs/*:refs/*` fetch
 * would prune the working branches of the worktrees. The remote's branches go to
 * `refs/remotes/origin/*`, its tags to `refs/tags/*`, refs asked for by name (a pull request
 * head) to `refs/fetched/*`; `refs/heads/*` holds only the workspaces' working branches. The
 * cache's configuration is written here, never taken from the remote.
 */
export class RepositoryMirrors {
  readonly #cacheDir: string;
  readonly #fetchIntervalMs: number;
  readonly #logger: LoggerService;
  readonly #git: GitCli;
  readonly #now: () => number;
  readonly #credentialsFor: (
    url: string,
  ) => Promise<GitCredentials | undefined>;
  readonly #fetchedAt = new Map<string, number>();
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(options: RepositoryMirrorsOptions) {
    this.#cacheDir = options.cacheDir;
    this.#fetchIntervalMs = options.fetchIntervalMs;
    this.#logger = options.logger;
    this.#git = options.git ?? new GitCli({ timeoutMs: 10 * 60_000 });
    this.#now = options.now ?? Date.now;
    this.#credentialsFor = options.credentialsFor ?? (async () => undefined);
  }

  get cacheDir() {
    return this.#cacheDir;
  }

  /** The cache folder of a repository. */
  pathOf(name: string): string {
    const ref = parseAgentsRepositoryRef(name);
    if (!ref) {
      throw new Error(`'${name}' is not <org>/<repository>`);
    }
    return path.join(this.#cacheDir, ref.org, `${ref.repository}.git`);
  }

  /**
   * The cache of `repository`, cloned when missing and fetched when the last fetch is older than
   * the fetch interval; `ref`, when it names a ref outside branches and tags (a pull request
   * head), is fetched too. A failed fetch of an existing cache is logged and the cache used as
   * it is; a failed first clone is a ServiceUnavailableError.
   */
  prepare(repository: RepositoryDefinition, ref?: string): Promise<string> {
    return this.#serialized(repository.name, () =>
      this.#prepare(repository, ref),
    );
  }

  async #prepare(repository: RepositoryDefinition, ref?: string) {
    const target = this.pathOf(repository.name);
    const now = this.#now();
    if (!(await exists(path.join(target, 'HEAD')))) {
      await this.#clone(repository, target);
      this.#fetchedAt.set(repository.name, now);
    } else if (
      now - (this.#fetchedAt.get(repository.name) ?? -Infinity) >=
      this.#fetchIntervalMs
    ) {
      try {
        await this.#git.run(
          target,
          ['fetch', '--prune', '--quiet', 'origin'],
          await this.#remoteEnv(repository),
        );
        this.#fetchedAt.set(repository.name, now);
      } catch (error) {
        this.#logger.warn(
          redactUrls(
            `Fetching ${repository.name} failed, using the cached state: ${error}`,
          ),
        );
      }
    }
    if (ref && extraRef(ref)) {
      await this.#fetchRef(repository, target, ref);
    }
    return target;
  }

  async #clone(repository: RepositoryDefinition, target: string) {
    // Built next to its final place and renamed, so a clone cut short never looks like a cache.
    const building = `${target}.${randomUUID().slice(0, 8)}.tmp`;
    await fs.mkdir(path.dirname(target), { recursive: true });
    try {
      await this.#git.run(path.dirname(target), [
        'init',
        '--quiet',
        '--bare',
        '--',
        building,
      ]);
      const config = (...args: string[]) =>
        this.#git.run(building, ['config', ...args]);
      await config('remote.origin.url', repository.url);
      await config(
        'remote.origin.fetch',
        '+refs/heads/*:refs/remotes/origin/*',
      );
      await config('--add', 'remote.origin.fetch', '+refs/tags/*:refs/tags/*');
      const env = await this.#remoteEnv(repository);
      await this.#git.run(
        building,
        ['fetch', '--prune', '--quiet', 'origin'],
        env,
      );
      await this.#git.run(
        building,
        repository.defaultBranch
          ? ['remote', 'set-head', 'origin', repository.defaultBranch]
          : ['remote', 'set-head', 'origin', '--auto'],
        env,
      );
      await fs.rename(building, target).catch(async error => {
        // Another process sharing the cache folder finished first: use its cache.
        if (!(await exists(path.join(target, 'HEAD')))) {
          throw error;
        }
        await fs.rm(building, { recursive: true, force: true });
      });
      this.#logger.info(
        `Cached repository ${repository.name} from ${repository.declaredBy} at ${target}`,
      );
    } catch (error) {
      await fs.rm(building, { recursive: true, force: true });
      throw new ServiceUnavailableError(
        redactUrls(
          `Cannot clone repository ${repository.name} (declared by ${
            repository.declaredBy
          }): ${accessHint(
            Object.keys(await this.#remoteEnv(repository)).length > 0,
            error,
          )}${(error as Error).message}`,
        ),
      );
    }
  }

  async #fetchRef(
    repository: RepositoryDefinition,
    target: string,
    ref: string,
  ) {
    const key = `${repository.name} ${ref}`;
    const now = this.#now();
    if (now - (this.#fetchedAt.get(key) ?? -Infinity) < this.#fetchIntervalMs) {
      return;
    }
    try {
      await this.#git.run(
        target,
        [
          'fetch',
          '--quiet',
          'origin',
          `+${ref}:${FETCHED_REFS}/${ref.slice('refs/'.length)}`,
        ],
        await this.#remoteEnv(repository),
      );
      this.#fetchedAt.set(key, now);
    } catch (error) {
      this.#logger.warn(
        redactUrls(`Fetching ${ref} of ${repository.name} failed: ${error}`),
      );
    }
  }

  /** The environment that gives git the repository's credentials for its remote. */
  async #remoteEnv(
    repository: RepositoryDefinition,
  ): Promise<Record<string, string>> {
    const credentials =
      repository.credentials ?? (await this.#credentialsFor(repository.url));
    return credentials?.envFor(repository.url) ?? {};
  }

  /** One git operation per cache at a time: concurrent fetches of one repository would collide. */
  #serialized<T>(name: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(name) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.#queues.set(name, settled);
    settled.then(() => {
      if (this.#queues.get(name) === settled) {
        this.#queues.delete(name);
      }
    });
    return next;
  }
}

/** Says so when the remote wants credentials it did not get, or refused the ones it got. */
function accessHint(hadCredentials: boolean, error: unknown) {
  const message = String((error as Error).message);
  if (
    !/Authentication failed|could not read Username|terminal prompts disabled|\b401\b|\b403\b/i.test(
      message,
    )
  ) {
    return '';
  }
  return hadCredentials
    ? 'the remote refused its credentials (check the token and username); '
    : 'the remote asks for credentials (set a token for it); ';
}

/** A full ref outside branches and tags, which the regular fetch does not bring. */
function extraRef(ref: string) {
  return (
    /^refs\/[^\s:]+$/.test(ref) &&
    !ref.startsWith('refs/heads/') &&
    !ref.startsWith('refs/tags/') &&
    !ref.startsWith(`${FETCHED_REFS}/`) &&
    !ref.startsWith('refs/remotes/')
  );
}

async function exists(file: string) {
  return fs
    .access(file)
    .then(() => true)
    .catch(() => false);
}
