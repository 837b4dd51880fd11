export { ExecutionContextPanel } from './ExecutionContextPanel';
export { ContextParts } from './ContextParts';
