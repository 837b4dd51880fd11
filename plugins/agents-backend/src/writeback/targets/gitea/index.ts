export { agentsModuleGiteaWriteBack } from './agentsModuleGiteaWriteBack';
export { GiteaWriteBackTarget } from './GiteaWriteBackTarget';
export type { GiteaWriteBackTargetOptions } from './GiteaWriteBackTarget';
