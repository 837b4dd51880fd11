import { createForgeWriteBackModule } from '../forge/createForgeWriteBackModule';
import { GithubWriteBackTarget } from './GithubWriteBackTarget';

/**
 * Registers the GitHub write-back target (`github`) with the agents backend. It uses the hosts
 * and credentials of `integrations.github`.
 * @public
 */
export const agentsModuleGithubWriteBack = createForgeWriteBackModule({
  moduleId: 'github-write-back',
  fromConfig: (config, options) =>
    GithubWriteBackTarget.fromConfig(config, options),
});
