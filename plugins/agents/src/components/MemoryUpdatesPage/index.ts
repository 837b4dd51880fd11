export { MemoryUpdatesPage, OPEN_PHASES } from './MemoryUpdatesPage';
export { MemoryUpdatePhaseChip } from './MemoryUpdatePhaseChip';
export { MemoryUpdateSource } from './MemoryUpdateSource';
export { MemoryUpdatesTable, validationText } from './MemoryUpdatesTable';
export { memoryResourceRef } from './memoryResourceRef';
export { useMemoryUpdatePaths } from './useMemoryUpdatePaths';
