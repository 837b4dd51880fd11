export { AgentsRouter } from './AgentsRouter';
