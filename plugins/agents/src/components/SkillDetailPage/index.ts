export { SkillDetailPage } from './SkillDetailPage';
