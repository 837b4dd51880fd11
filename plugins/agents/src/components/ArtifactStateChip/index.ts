export { ArtifactStateChip } from './ArtifactStateChip';
export type { ArtifactStateChipProps } from './ArtifactStateChip';
