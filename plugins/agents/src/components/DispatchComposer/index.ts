export { DispatchComposer } from './DispatchComposer';
