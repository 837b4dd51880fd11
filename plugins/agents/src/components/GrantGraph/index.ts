export { GrantGraph } from './GrantGraph';
export type { GrantGraphProps } from './GrantGraph';
