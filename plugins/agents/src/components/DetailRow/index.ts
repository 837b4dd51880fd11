export { DetailRow } from './DetailRow';
