import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import path from 'node:path';
import { seedRepository } from '../repositories/seedRepository';
import { GitCli } from '../workspaces/GitCli';
import { MemorySource } from './MemoryService';

const ORG_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * The memory repositories of `agents.memory.orgs`: a git repository on this machine (`path`), or
 * a `directory` of plain files committed into a local repository under `dataDir/memory` on start
 * (the offline demo; a change of the folder becomes a new commit). A malformed entry stops the
 * start; a seed folder that cannot be read is logged and left out.
 */
export async function configuredMemory(options: {
  config: Config;
  dataDir: string;
  logger: LoggerService;
  git?: GitCli;
}): Promise<MemorySource[]> {
  const { config, dataDir, logger } = options;
  const git = options.git ?? new GitCli();
  const sources: MemorySource[] = [];
  const entries = config.getOptionalConfigArray('agents.memory.orgs') ?? [];
  for (const [index, entry] of entries.entries()) {
    const where = `agents.memory.orgs[${index}]`;
    const org = entry.getString('org');
    if (!ORG_NAME.test(org)) {
      throw new Error(`${where}.org: '${org}' is not an org (namespace) name`);
    }
    if (sources.some(source => source.org === org)) {
      throw new Error(`${where}.org: ${org} is configured twice`);
    }
    const repositoryPath = entry.getOptionalString('path');
    const directory = entry.getOptionalString('directory');
    if ((repositoryPath === undefined) === (directory === undefined)) {
      throw new Error(`${where}: set exactly one of path and directory`);
    }
    const branch = entry.getOptionalString('branch');
    if (repositoryPath !== undefined) {
      sources.push({
        org,
        repositoryPath: path.resolve(repositoryPath),
        branch,
      });
      continue;
    }
    const target = path.join(dataDir, 'memory', `${org}.git`);
    try {
      await seedRepository({
        git,
        directory: path.resolve(directory!),
        target,
      });
    } catch (error) {
      logger.error(
        `${where}: cannot seed the memory of ${org} from ${path.resolve(
          directory!,
        )}, leaving it out: ${error}`,
      );
      continue;
    }
    sources.push({ org, repositoryPath: target, branch: branch ?? 'main' });
  }
  return sources;
}
