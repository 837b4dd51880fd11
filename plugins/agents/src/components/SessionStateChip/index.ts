export { SessionStateChip } from './SessionStateChip';
