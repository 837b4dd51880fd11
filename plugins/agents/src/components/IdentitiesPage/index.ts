export { IdentitiesPage } from './IdentitiesPage';
