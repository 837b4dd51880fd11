export { agentsModuleGithubWriteBack } from './agentsModuleGithubWriteBack';
export { GithubWriteBackTarget } from './GithubWriteBackTarget';
export type { GithubWriteBackTargetOptions } from './GithubWriteBackTarget';
