export { RuleDetailPage } from './RuleDetailPage';
