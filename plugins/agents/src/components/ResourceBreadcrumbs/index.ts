export { ResourceBreadcrumbs } from './ResourceBreadcrumbs';
export type { ResourceBreadcrumbsProps } from './ResourceBreadcrumbs';
