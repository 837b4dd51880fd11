export { AgentsNav } from './AgentsNav';
