export { ApprovalProgress } from './ApprovalProgress';
export type { ApprovalProgressProps } from './ApprovalProgress';
