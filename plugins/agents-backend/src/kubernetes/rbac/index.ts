export {
  RbacProjectionController,
  RBAC_PROJECTION_ACTOR,
} from './RbacProjectionController';
export type { RbacProjectionControllerOptions } from './RbacProjectionController';
export { NativeRbacReader } from './NativeRbacReader';
export type { NativeRbacItem } from './NativeRbacReader';
export { ClusterAccessReview } from './ClusterAccessReview';
export type {
  AccessAnswer,
  ClusterAccessReviewOptions,
} from './ClusterAccessReview';
export { projectRbac, CLUSTER_SCOPE_ANNOTATION } from './RbacProjection';
export type { Projection, ProjectionContext } from './RbacProjection';
