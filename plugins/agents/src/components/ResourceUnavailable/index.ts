export { ResourceUnavailable } from './ResourceUnavailable';
