export { phaseMessage, RunPhaseChip } from './RunPhaseChip';
