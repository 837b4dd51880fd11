export { PermissionReviewForm } from './PermissionReviewForm';
export type { PermissionReviewFormProps } from './PermissionReviewForm';
