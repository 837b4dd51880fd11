import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { parseAgentsRepositoryRef } from '@krate/plugin-agents-common';
import path from 'node:path';
import { GitCli } from '../workspaces/GitCli';
import { GitCredentials } from './GitCredentials';
import { RepositoryDefinition } from './RepositoryDefinition';
import { parseCloneUrl } from './repositoryUrl';
import { seedRepository } from './seedRepository';

/** Where seeded repositories live inside the cache folder; no org can be named `.seeds`. */
export const SEEDS_FOLDER = '.seeds';

/**
 * The repositories of `agents.repositories`. An entry has a `url` to clone from, or a
 * `directory` of plain files that is committed into a local seed repository under the cache
 * folder first (offline demos); an http(s) `url` may come with a `token` (and `username`). A malformed entry is a configuration error and stops the start;
 * a seed folder that cannot be read is logged and its repository left out, so a demo entry does
 * not keep a real installation from starting.
 */
export async function configuredRepositories(options: {
  config: Config;
  cacheDir: string;
  git: GitCli;
  logger: LoggerService;
}): Promise<RepositoryDefinition[]> {
  const { config, cacheDir, git, logger } = options;
  const entries = config.getOptionalConfigArray('agents.repositories') ?? [];
  const definitions: RepositoryDefinition[] = [];
  for (const [index, entry] of entries.entries()) {
    const where = `agents.repositories[${index}]`;
    const name = entry.getString('name');
    const ref = parseAgentsRepositoryRef(name);
    if (!ref) {
      throw new Error(`${where}.name: '${name}' is not <org>/<repository>`);
    }
    if (definitions.some(d => d.name === name)) {
      throw new Error(`${where}.name: ${name} is configured twice`);
    }
    const url = entry.getOptionalString('url');
    const directory = entry.getOptionalString('directory');
    if ((url === undefined) === (directory === undefined)) {
      throw new Error(`${where}: set exactly one of url and directory`);
    }
    let cloneUrl: string | undefined;
    if (directory !== undefined) {
      cloneUrl = path.join(
        cacheDir,
        SEEDS_FOLDER,
        ref.org,
        `${ref.repository}.git`,
      );
      try {
        await seedRepository({
          git,
          directory: path.resolve(directory),
          target: cloneUrl,
        });
      } catch (error) {
        logger.error(
          `${where}: cannot seed repository ${name} from ${path.resolve(
            directory,
          )}, leaving it out: ${error}`,
        );
        continue;
      }
    } else {
      cloneUrl = parseCloneUrl(url!);
      if (!cloneUrl) {
        throw new Error(
          `${where}.url: '${url}' is not a git URL (https, http, ssh, git, file or user@host:path) or a local path`,
        );
      }
    }
    const defaultBranch = entry.getOptionalString('defaultBranch');
    const token = entry.getOptionalString('token');
    const username = entry.getOptionalString('username');
    if ((token || username) && !/^https?:\/\//i.test(cloneUrl)) {
      throw new Error(
        `${where}.token: only an http(s) url takes a token and username`,
      );
    }
    if (username && !token) {
      throw new Error(`${where}.username: goes with a token; set token too`);
    }
    definitions.push({
      name,
      url: cloneUrl,
      ...(defaultBranch ? { defaultBranch } : {}),
      declaredBy: 'agents.repositories',
      ...(token
        ? {
            credentials: GitCredentials.basic(
              username ?? 'x-access-token',
              token,
            ),
          }
        : {}),
    });
  }
  return definitions;
}
