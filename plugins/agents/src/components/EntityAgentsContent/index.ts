export { EntityAgentsContent } from './EntityAgentsContent';
export type { EntityAgentsContentProps } from './EntityAgentsContent';
