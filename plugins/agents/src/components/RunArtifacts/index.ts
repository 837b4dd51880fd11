export { RunArtifacts } from './RunArtifacts';
