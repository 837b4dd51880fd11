export { MemoryFrame } from './MemoryFrame';
export type { MemoryFrameProps } from './MemoryFrame';
