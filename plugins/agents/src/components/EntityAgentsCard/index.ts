export { EntityAgentsCard } from './EntityAgentsCard';
export type { EntityAgentsCardProps } from './EntityAgentsCard';
