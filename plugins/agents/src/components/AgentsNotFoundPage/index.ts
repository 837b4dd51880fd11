export { AgentsNotFoundPage } from './AgentsNotFoundPage';
