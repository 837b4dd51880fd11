export { SessionActivityCard } from './SessionActivityCard';
