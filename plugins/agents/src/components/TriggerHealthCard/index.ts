export { TriggerHealthCard } from './TriggerHealthCard';
