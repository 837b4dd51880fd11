export { ArtifactContent } from './ArtifactContent';
export type { ArtifactContentProps } from './ArtifactContent';
