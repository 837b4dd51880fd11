export { SpendCard } from './SpendCard';
