import { createForgeWriteBackModule } from '../forge/createForgeWriteBackModule';
import { GiteaWriteBackTarget } from './GiteaWriteBackTarget';

/**
 * Registers the Gitea write-back target (`gitea`) with the agents backend. It uses the hosts and
 * credentials of `integrations.gitea`.
 * @public
 */
export const agentsModuleGiteaWriteBack = createForgeWriteBackModule({
  moduleId: 'gitea-write-back',
  fromConfig: (config, options) =>
    GiteaWriteBackTarget.fromConfig(config, options),
});
