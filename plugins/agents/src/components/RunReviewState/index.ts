export { RunReviewState, REVIEW_CHANGES_REQUESTED } from './RunReviewState';
export type { RunReviewStateProps } from './RunReviewState';
