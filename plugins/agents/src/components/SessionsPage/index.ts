export { SessionsPage } from './SessionsPage';
export type { SessionsPageProps } from './SessionsPage';
