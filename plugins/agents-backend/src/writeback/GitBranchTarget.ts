import {
  AgentWriteBackTarget,
  WriteBackRepository,
  WriteBackRequest,
} from '@krate/plugin-agents-node';
import { WriteBackResult } from '@krate/plugin-agents-common';

/**
 * Pushes the artifact's commit to a branch of the repository's own remote with the git CLI (the
 * controller's `pushBranch`, which takes credentials from the `integrations` config, never from
 * the agent). It works for every repository with a remote, forge or not.
 */
export class GitBranchTarget implements AgentWriteBackTarget {
  readonly id = 'git';
  readonly displayName = 'Git branch';
  readonly operations = ['branch' as const];

  async supports(repository: WriteBackRepository) {
    return repository.url
      ? { supported: true as const }
      : {
          supported: false as const,
          reason: `${repository.name} has no remote to push to: declare it in agents.repositories with a url`,
        };
  }

  async apply(request: WriteBackRequest): Promise<WriteBackResult[]> {
    return [await request.pushBranch(request.operation.branch!)];
  }
}
