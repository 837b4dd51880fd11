export { LiveStatus } from './LiveStatus';
