export { StacksPage } from './StacksPage';
