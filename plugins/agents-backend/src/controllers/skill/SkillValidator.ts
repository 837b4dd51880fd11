import { AgentSkill } from '@krate/plugin-agents-common';
import { RuntimeRegistry } from '../../runtimes/RuntimeRegistry';
import { GitCli } from '../../workspaces/GitCli';
import { checkRuntimes } from './checkRuntimes';
import { checkSource, SkillRepositories } from './checkSource';
import { SkillValidation } from './SkillValidation';

export interface SkillValidatorOptions {
  repositories: SkillRepositories;
  runtimes: RuntimeRegistry;
  git?: GitCli;
}

/**
 * Validates a skill: its source in a repository and the runtimes it names. Every invalid finding
 * is reported at once, so one edit can fix them all; an invalid skill stays invalid while its
 * repository is unreachable, since that changes nothing about what has to be fixed.
 */
export class SkillValidator {
  readonly #options: SkillValidatorOptions;
  readonly #git: GitCli;

  constructor(options: SkillValidatorOptions) {
    this.#options = options;
    this.#git = options.git ?? new GitCli();
  }

  async validate(skill: AgentSkill): Promise<SkillValidation> {
    const source = await checkSource(
      skill.spec.source,
      this.#options.repositories,
      this.#git,
    );
    const runtimes = checkRuntimes(
      skill.spec.compatibleRuntimes,
      this.#options.runtimes.list().map(runtime => runtime.id),
    );
    const findings = [source, runtimes];
    const { resolvedCommit } = source;
    const invalid = findings.filter(f => f.outcome === 'invalid');
    if (invalid.length) {
      return {
        validation: 'Invalid',
        reason: invalid[0].reason,
        message: invalid.map(f => f.message).join(' '),
        ...(resolvedCommit ? { resolvedCommit } : {}),
      };
    }
    if (source.outcome === 'pending') {
      return {
        validation: 'Pending',
        reason: source.reason,
        message: source.message,
      };
    }
    return {
      validation: 'Valid',
      reason: 'Validated',
      message: findings.map(f => f.message).join(' '),
      ...(resolvedCommit ? { resolvedCommit } : {}),
    };
  }
}
