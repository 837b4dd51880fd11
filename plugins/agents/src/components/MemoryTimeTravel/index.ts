export { MemoryTimeTravel } from './MemoryTimeTravel';
export { ResolvedCommit } from './ResolvedCommit';
export { useMemoryPoint } from './useMemoryPoint';
