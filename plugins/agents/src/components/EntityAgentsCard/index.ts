export { EntityAgentsCard } from './EntityAgentsCard';
