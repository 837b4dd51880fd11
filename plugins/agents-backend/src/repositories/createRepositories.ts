import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import path from 'node:path';
import { GitCli } from '../workspaces/GitCli';
import { CatalogRepositories } from './CatalogRepositories';
import { configuredRepositories } from './configuredRepositories';
import { integrationCredentials } from './integrationCredentials';
import { Repositories } from './Repositories';
import { RepositoryMirrors } from './RepositoryMirrors';

/** Hosts whose integrations Backstage knows without configuration. */
const DEFAULT_HOSTS = [
  'github.com',
  'gitlab.com',
  'bitbucket.org',
  'dev.azure.com',
];

/**
 * The repositories from configuration: `agents.repositories` (seeded ones committed now), the
 * catalog's, and the clones under `repositoryRoots`, with their cache under
 * `agents.repositoryCache.directory` (default `<dataDir>/repositories-cache`).
 */
export async function createRepositories(options: {
  config: Config;
  dataDir: string;
  repositoryRoots: string[];
  logger: LoggerService;
  catalog?: { service: CatalogService; auth: AuthService };
}): Promise<Repositories> {
  const { config, logger } = options;
  const cacheDir = path.resolve(
    config.getOptionalString('agents.repositoryCache.directory') ??
      path.join(options.dataDir, 'repositories-cache'),
  );
  const configured = await configuredRepositories({
    config,
    cacheDir,
    git: new GitCli(),
    logger,
  });
  const integrationHosts = (
    config.getOptionalConfig('integrations')?.keys() ?? []
  )
    .flatMap(key => {
      try {
        return config.getOptionalConfigArray(`integrations.${key}`) ?? [];
      } catch {
        return [];
      }
    })
    .map(entry => entry.getOptionalString('host'))
    .filter((host): host is string => Boolean(host));
  return new Repositories({
    repositoryRoots: options.repositoryRoots,
    configured,
    catalog:
      options.catalog &&
      new CatalogRepositories({
        catalog: options.catalog.service,
        auth: options.catalog.auth,
        logger,
        allowedHosts: [...DEFAULT_HOSTS, ...integrationHosts],
        refreshMs:
          (config.getOptionalNumber(
            'agents.repositoryCache.catalogRefreshSeconds',
          ) ?? 60) * 1000,
      }),
    mirrors: new RepositoryMirrors({
      cacheDir,
      fetchIntervalMs:
        (config.getOptionalNumber(
          'agents.repositoryCache.fetchIntervalSeconds',
        ) ?? 60) * 1000,
      logger,
      credentialsFor: integrationCredentials(config),
    }),
    logger,
  });
}
