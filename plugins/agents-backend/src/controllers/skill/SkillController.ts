import { LoggerService } from '@backstage/backend-plugin-api';
import { AgentSkill } from '@krate/plugin-agents-common';
import { ResourceStore } from '../../resources/ResourceStore';
import { RuntimeRegistry } from '../../runtimes/RuntimeRegistry';
import { ChangeFeedLoop, ChangeFeedTiming } from '../ChangeFeedLoop';
import { StatusReconciler } from '../StatusReconciler';
import { SkillRepositories } from './checkSource';
import { skillStatus } from './skillStatus';
import { SkillValidator } from './SkillValidator';

/** The actor of the controller's status writes in the audit trail. */
export const SKILL_CONTROLLER_ACTOR = 'agents:skill-controller';

export interface SkillControllerOptions extends ChangeFeedTiming {
  store: ResourceStore;
  runtimes: RuntimeRegistry;
  repositories: SkillRepositories;
  logger: LoggerService;
  /**
   * Time between validations of every skill, which retries pending ones and follows refs that
   * moved; default 60 s, the repository cache's own fetch interval.
   */
  revalidateMs?: number;
}

/**
 * Keeps every AgentSkill's validation current: whether its source is in a repository Krate
 * knows at a commit its ref resolves to, and whether the runtimes it names are registered. A
 * change of a skill validates that skill; every skill is validated again each `revalidateMs`.
 */
export class SkillController extends ChangeFeedLoop {
  constructor(options: SkillControllerOptions) {
    const validator = new SkillValidator(options);
    const skills = new StatusReconciler<AgentSkill>({
      kind: 'AgentSkill',
      store: options.store,
      logger: options.logger,
      actor: SKILL_CONTROLLER_ACTOR,
      statusOf: async skill =>
        skillStatus(skill, await validator.validate(skill), new Date()),
      onWritten: (before, after) =>
        logValidation(options.logger, before, after),
    });
    super({
      ...options,
      name: 'Skill controller',
      kinds: ['AgentSkill'],
      reconciler: skills,
      resyncMs: options.revalidateMs ?? 60_000,
    });
  }
}

function logValidation(
  logger: LoggerService,
  before: AgentSkill,
  after: AgentSkill,
) {
  const validation = after.status?.validation;
  if (before.status?.validation === validation) return;
  const ready = after.status?.conditions?.find(c => c.type === 'Ready');
  const { namespace, name } = after.metadata;
  logger.info(
    `AgentSkill ${namespace}/${name} is ${validation} (${ready?.reason})`,
  );
}
