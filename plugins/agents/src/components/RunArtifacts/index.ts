export { RunArtifacts } from './RunArtifacts';
export type { RunArtifactsProps } from './RunArtifacts';
