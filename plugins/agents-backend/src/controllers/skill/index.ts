export { SkillController, SKILL_CONTROLLER_ACTOR } from './SkillController';
export type { SkillControllerOptions } from './SkillController';
export type { SkillRepositories } from './checkSource';
