export { RunActions } from './RunActions';
