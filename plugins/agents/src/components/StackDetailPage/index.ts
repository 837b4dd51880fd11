export { StackDetailPage } from './StackDetailPage';
