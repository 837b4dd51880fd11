export { RunDetailPage } from './RunDetailPage';
