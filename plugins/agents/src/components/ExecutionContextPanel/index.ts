export { ExecutionContextPanel } from './ExecutionContextPanel';
