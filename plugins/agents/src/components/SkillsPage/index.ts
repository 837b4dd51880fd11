export { SkillsPage } from './SkillsPage';
export { SkillValidationChip } from './SkillValidationChip';
