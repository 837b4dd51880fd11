export { RunMemoryCard } from './RunMemoryCard';
