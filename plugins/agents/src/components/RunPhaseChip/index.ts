export { RunPhaseChip } from './RunPhaseChip';
