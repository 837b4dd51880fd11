import { Config } from '@backstage/config';
import { parseAgentsRepositoryRef } from '@krate/plugin-agents-common';

/** Where an org's configuration YAML is proposed. */
export interface ConfigurationRepository {
  org: string;
  /** `<org>/<repository>`, a repository this backend knows (agents.repositories, catalog). */
  repository: string;
  /** The folder manifests go to; `<path>/<Kind>/<name>.yaml`. */
  path: string;
  /** The branch proposals build on and pull requests merge into; default the remote's HEAD. */
  base?: string;
}

/** Reads `agents.configurationRepositories`; a malformed entry stops the backend at start. */
export function configurationRepositories(
  config: Config,
): ConfigurationRepository[] {
  const entries =
    config.getOptionalConfigArray('agents.configurationRepositories') ?? [];
  const seen = new Set<string>();
  return entries.map((entry, index) => {
    const where = `agents.configurationRepositories[${index}]`;
    const org = entry.getString('org');
    const repository = entry.getString('repository');
    if (!parseAgentsRepositoryRef(repository)) {
      throw new Error(
        `${where}.repository: '${repository}' is not <org>/<repository>`,
      );
    }
    if (seen.has(org)) {
      throw new Error(
        `${where}.org: ${org} has a configuration repository already`,
      );
    }
    seen.add(org);
    const folder = (entry.getOptionalString('path') ?? 'agents')
      .split('/')
      .filter(Boolean);
    if (folder.some(part => part === '..' || part === '.' || part === '.git')) {
      throw new Error(`${where}.path: must stay inside the repository`);
    }
    const base = entry.getOptionalString('base');
    return {
      org,
      repository,
      path: folder.join('/'),
      ...(base ? { base } : {}),
    };
  });
}
