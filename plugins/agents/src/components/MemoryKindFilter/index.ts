export { MemoryKindFilter } from './MemoryKindFilter';
export type { MemoryKindFilterProps } from './MemoryKindFilter';
