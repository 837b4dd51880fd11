export { SessionDetailPage } from './SessionDetailPage';
export type { SessionDetailPageProps } from './SessionDetailPage';
