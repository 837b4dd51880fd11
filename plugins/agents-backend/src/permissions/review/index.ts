export { CatalogDirectory, CATALOG_PAGE_LIMIT } from './CatalogDirectory';
export { identitiesOverview } from './identitiesOverview';
export { OrgAccess } from './OrgAccess';
export { parseReviewRequest } from './parseReviewRequest';
export { permissionsOverview } from './permissionsOverview';
export { reviewPermission } from './reviewPermission';
